import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { PopupSocketService } from './popup-socket.service';
import { PresenceToggleComponent } from './presence-toggle.component';

describe('PresenceToggleComponent', () => {
  it('shows 受付中 from the routing, switches to 離席 on click and follows changes from other PCs', async () => {
    await TestBed.configureTestingModule({
      imports: [
        PresenceToggleComponent,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(PresenceToggleComponent);
    fixture.detectChanges();
    const button = () => fixture.nativeElement.querySelector('[data-testid="presence-toggle"]') as HTMLButtonElement;
    expect(button()).toBeNull();
    http
      .expectOne('/api/v1/popup/me/routing')
      .flush({ userId: 'u', presence: 'available', extensions: ['201'], lines: [] });
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
    expect(button().textContent).toContain('popup.presence.available');

    button().click();
    const put = http.expectOne({ method: 'PUT', url: '/api/v1/popup/me/presence' });
    expect(put.request.body).toEqual({ presence: 'away' });
    put.flush({ userId: 'u', presence: 'away', extensions: ['201'], lines: [] });
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('false');

    // An admin (or another PC) set it back: popup:presence updates the shared state.
    TestBed.inject(PopupSocketService).presence.set('available');
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
    http.verify();
  });
});

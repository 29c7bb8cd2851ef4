import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { PopupRoutingPage } from './popup-routing.page';

const user = (id: string, roles: string[], disabled = false) => ({
  id,
  email: `${id}@example.jp`,
  displayName: id,
  roles,
  disabled,
  locale: 'ja',
  lockedUntil: null,
  lastLoginAt: null,
  createdAt: '',
});
const TOKYO = { siteId: 's1', siteName: '東京本社', lineName: '東京店' };
const HIRING = { siteId: 's1', siteName: '東京本社', lineName: '採用回線' };

describe('PopupRoutingPage', () => {
  it('lists the active answering users with extensions, lines and presence, and saves changes per user', async () => {
    await TestBed.configureTestingModule({
      imports: [
        PopupRoutingPage,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(PopupRoutingPage);
    fixture.detectChanges();
    http.expectOne('/api/v1/popup/lines').flush({ items: [TOKYO, HIRING] });
    http
      .expectOne('/api/v1/users')
      .flush([user('sato', ['operator']), user('audit', ['auditor']), user('gone', ['operator'], true)]);
    http
      .expectOne('/api/v1/popup/users/sato/routing')
      .flush({ userId: 'sato', presence: 'available', extensions: ['201'], lines: [TOKYO] });
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelectorAll('[data-testid="routing-row"]')).toHaveLength(1);
    expect(el.textContent).toContain('201');

    const page = fixture.componentInstance as unknown as {
      setLines(row: unknown, ids: string[]): void;
      rows(): Array<{ user: { id: string } }>;
    };
    page.setLines(page.rows()[0], [`s1\u0000東京店`, `s1\u0000採用回線`]);
    const put = http.expectOne({ method: 'PUT', url: '/api/v1/popup/users/sato/lines' });
    expect(put.request.body).toEqual({
      lines: [
        { siteId: 's1', lineName: '東京店' },
        { siteId: 's1', lineName: '採用回線' },
      ],
    });
    put.flush({ userId: 'sato', presence: 'available', extensions: ['201'], lines: [TOKYO, HIRING] });

    (el.querySelector('[data-testid="routing-presence-sato"]') as HTMLButtonElement).click();
    const presence = http.expectOne({ method: 'PUT', url: '/api/v1/popup/users/sato/presence' });
    expect(presence.request.body).toEqual({ presence: 'away' });
    presence.flush({ userId: 'sato', presence: 'away', extensions: ['201'], lines: [TOKYO, HIRING] });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="routing-presence-sato"]')?.getAttribute('aria-pressed')).toBe('false');
    http.verify();
  });
});

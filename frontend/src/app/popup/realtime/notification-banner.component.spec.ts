import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { DesktopNotifier, NotificationState } from './desktop-notifier.service';
import { NotificationBannerComponent } from './notification-banner.component';

/** Only the state the banner reads: the browser's Notification API is not what is under test here. */
function open(state: NotificationState) {
  const notifier = { state: signal(state), ask: jest.fn(), decline: jest.fn() };
  TestBed.configureTestingModule({
    imports: [
      NotificationBannerComponent,
      TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
    ],
    providers: [{ provide: DesktopNotifier, useValue: notifier }],
  });
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(NotificationBannerComponent);
  fixture.detectChanges();
  return { fixture, el: fixture.nativeElement as HTMLElement, notifier };
}

describe('NotificationBannerComponent', () => {
  it('offers to turn notifications on while the browser may still ask', () => {
    const { el, notifier } = open('ask');
    expect(el.querySelector('[data-testid="notification-fallback"]')).toBeNull();
    (el.querySelector('[data-testid="notification-enable"]') as HTMLButtonElement).click();
    expect(notifier.ask).toHaveBeenCalled();
  });

  it.each([
    ['refused', 'popup.notification.refused'],
    ['unsupported', 'popup.notification.unsupported'],
  ] as const)('when %s, says why calls show in this tab only, until closed', (state, key) => {
    const { fixture, el } = open(state);
    const fallback = el.querySelector('[data-testid="notification-fallback"]');
    expect(fallback?.textContent).toContain(key);
    (fallback?.querySelector('button') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="notification-fallback"]')).toBeNull();
  });

  it('shows nothing once notifications are on', () => {
    expect(open('granted').el.textContent?.trim()).toBe('');
  });
});

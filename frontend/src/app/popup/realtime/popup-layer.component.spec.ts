import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Type, computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { AuthService } from '../../core/auth.service';
import { registerIcons } from '../../core/icons';
import { LanguageService } from '../../core/language.service';
import { NOTIFICATION_ENVIRONMENT, REFUSED_KEY } from './desktop-notifier.service';
import { POPUP_EVENTS } from './popup-protocol';
import { POPUP_SOCKET_FACTORY, PopupSocket } from './popup-socket.service';
import { NotificationBannerComponent } from './notification-banner.component';
import { PopupLayerComponent } from './popup-layer.component';
import { ringing } from './popup-test-data';

function fakeSocket() {
  const handlers = new Map<string, (a: unknown) => void>();
  return {
    connected: false,
    on: (e: string, h: (a: unknown) => void) => handlers.set(e, h),
    connect: () => undefined,
    disconnects: 0,
    disconnect() {
      this.disconnects++;
    },
    send: (e: string, a?: unknown) => handlers.get(e)?.(a),
  };
}

async function mount(
  permission: NotificationPermission | null,
  stored: Record<string, string> = {},
  component: Type<unknown> = PopupLayerComponent,
) {
  const socket = fakeSocket();
  const notificationApi = permission
    ? Object.assign(jest.fn(), { permission, requestPermission: jest.fn(async () => 'granted') })
    : null;
  await TestBed.configureTestingModule({
    imports: [component, TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } })],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: POPUP_SOCKET_FACTORY, useValue: () => socket as unknown as PopupSocket },
      {
        provide: NOTIFICATION_ENVIRONMENT,
        useValue: {
          notification: () => notificationApi,
          hidden: () => true,
          storage: { getItem: (k: string) => stored[k] ?? null, setItem: (k: string, v: string) => (stored[k] = v) },
          focus: () => undefined,
        },
      },
      {
        provide: AuthService,
        useValue: {
          me: signal({ id: 'u-me', roles: ['operator'], tenant: { products: ['ootairyoku'], timeZone: 'Asia/Tokyo' } }),
          roles: computed(() => ['operator']),
          hasAnyRole: () => true,
        },
      },
      { provide: LanguageService, useValue: { lang: signal('ja') } },
    ],
  }).compileComponents();
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(component);
  fixture.detectChanges();
  return { fixture, socket, notificationApi, el: fixture.nativeElement as HTMLElement };
}

describe('PopupLayerComponent', () => {
  it('stacks ringing calls newest first and removes a dismissed one', async () => {
    const { fixture, socket, el } = await mount('granted');
    socket.send(POPUP_EVENTS.ringing, ringing({ sipCallId: 'first' }));
    socket.send(POPUP_EVENTS.ringing, ringing({ sipCallId: 'second' }));
    fixture.detectChanges();
    const ids = () =>
      Array.from(el.querySelectorAll('[data-testid="popup-stack"] [data-testid="popup-call"]')).map((c) =>
        c.getAttribute('data-call-id'),
      );
    expect(ids()).toEqual(['second', 'first']);
    (el.querySelector('[data-call-id="second"] [data-testid="popup-dismiss"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(ids()).toEqual(['first']);
  });

  it('disconnects when the shell goes away (sign-out)', async () => {
    const { fixture, socket } = await mount('granted');
    fixture.destroy();
    expect(socket.disconnects).toBe(1);
  });

  it('sends a desktop notification for a new call when permission was granted', async () => {
    const { socket, notificationApi } = await mount('granted');
    socket.send(POPUP_EVENTS.ringing, ringing());
    expect(notificationApi).toHaveBeenCalledTimes(1);
  });

  it('shows the fallback banner when notifications were refused, and none while granted', async () => {
    const refused = await mount('denied', {}, NotificationBannerComponent);
    expect(refused.el.querySelector('[data-testid="notification-fallback"]')).not.toBeNull();
    TestBed.resetTestingModule();
    const granted = await mount('granted', {}, NotificationBannerComponent);
    expect(granted.el.querySelector('[data-testid="notification-fallback"]')).toBeNull();
    expect(granted.el.querySelector('[data-testid="notification-offer"]')).toBeNull();
  });

  it('shows the fallback where the browser has no Notification API, and after an earlier “not now”', async () => {
    expect(
      (await mount(null, {}, NotificationBannerComponent)).el.querySelector('[data-testid="notification-fallback"]'),
    ).not.toBeNull();
    TestBed.resetTestingModule();
    const before = await mount('default', { [REFUSED_KEY]: '1' }, NotificationBannerComponent);
    expect(before.el.querySelector('[data-testid="notification-fallback"]')).not.toBeNull();
  });

  it('offers to turn notifications on while undecided and asks the browser from the click', async () => {
    const { fixture, el, notificationApi } = await mount('default', {}, NotificationBannerComponent);
    (el.querySelector('[data-testid="notification-enable"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(notificationApi?.requestPermission).toHaveBeenCalledTimes(1);
    expect(el.querySelector('[data-testid="notification-offer"]')).toBeNull();
  });
});

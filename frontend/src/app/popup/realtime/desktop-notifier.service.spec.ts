import { TestBed } from '@angular/core/testing';
import { TranslocoService, TranslocoTestingModule } from '@jsverse/transloco';
import {
  DesktopNotifier,
  NOTIFICATION_ENVIRONMENT,
  NotificationEnvironment,
  REFUSED_KEY,
} from './desktop-notifier.service';
import { ringing, WITHHELD } from './popup-test-data';

/** Stands in for the browser's Notification constructor and its permission. */
function fakeNotificationApi(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const shown: Array<{ title: string; options: NotificationOptions; instance: { close: jest.Mock } }> = [];
  const api = class {
    static permission = permission;
    static requestPermission = jest.fn(async () => {
      api.permission = answer;
      return answer;
    });
    onclick: (() => void) | null = null;
    close = jest.fn();
    constructor(title: string, options: NotificationOptions) {
      shown.push({ title, options, instance: this });
    }
  };
  return { api, shown };
}

function setup(api: unknown, hidden = true, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const focus = jest.fn();
  const env: NotificationEnvironment = {
    notification: () => api as typeof Notification | null,
    hidden: () => hidden,
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    focus,
  };
  TestBed.configureTestingModule({
    imports: [
      TranslocoTestingModule.forRoot({
        langs: { ja: {} },
        translocoConfig: { defaultLang: 'ja', availableLangs: ['ja'] },
      }),
    ],
    providers: [{ provide: NOTIFICATION_ENVIRONMENT, useValue: env }],
  });
  TestBed.inject(TranslocoService).setTranslation(
    { popup: { notification: { title: '着信: {{line}}' }, call: { withheld: '非通知' } } },
    'ja',
  );
  return { notifier: TestBed.inject(DesktopNotifier), storage, focus };
}

describe('DesktopNotifier', () => {
  it('offers to ask while undecided, and remembers a refusal so it never asks again', async () => {
    const { api } = fakeNotificationApi('default', 'denied');
    const { notifier, storage } = setup(api);
    expect(notifier.state()).toBe('ask');
    expect(await notifier.ask()).toBe('refused');
    expect(api.requestPermission).toHaveBeenCalledTimes(1);
    expect(storage.get(REFUSED_KEY)).toBe('1');
    expect(notifier.state()).toBe('refused');
  });

  it('starts refused when the user declined before, even though the browser still says default', () => {
    const { api } = fakeNotificationApi('default');
    expect(setup(api, true, { [REFUSED_KEY]: '1' }).notifier.state()).toBe('refused');
  });

  it('treats a dismissed prompt (still default) as a refusal', async () => {
    const { api } = fakeNotificationApi('default', 'default');
    const { notifier } = setup(api);
    expect(await notifier.ask()).toBe('refused');
  });

  it('"not now" is remembered without asking the browser', () => {
    const { api } = fakeNotificationApi('default');
    const { notifier, storage } = setup(api);
    notifier.decline();
    expect(api.requestPermission).not.toHaveBeenCalled();
    expect(storage.get(REFUSED_KEY)).toBe('1');
    expect(notifier.state()).toBe('refused');
  });

  it('says unsupported where there is no Notification API', async () => {
    const { notifier } = setup(null);
    expect(notifier.state()).toBe('unsupported');
    expect(await notifier.ask()).toBe('unsupported');
    expect(notifier.notify(ringing())).toBeNull();
  });

  it('notifies a call while the tab is hidden, naming the line and the single matched customer', async () => {
    const { api, shown } = fakeNotificationApi('default', 'granted');
    const { notifier, focus } = setup(api, true);
    expect(await notifier.ask()).toBe('granted');
    const call = ringing({
      customers: [
        {
          id: 'c1',
          name: '山田 太郎',
          kana: null,
          company: null,
          department: null,
          rank: null,
          tags: [],
          memo: null,
          customFields: {},
          externalId: null,
        },
      ],
    });
    expect(notifier.notify(call)).not.toBeNull();
    expect(shown[0].title).toBe('着信: 東京店');
    expect(shown[0].options).toMatchObject({ body: '山田 太郎 (03-1234-5678)', tag: call.key });
    (shown[0].instance as unknown as { onclick: () => void }).onclick();
    expect(focus).toHaveBeenCalled();
    expect(shown[0].instance.close).toHaveBeenCalled();
  });

  it('says 非通知 for a withheld number', () => {
    const { api, shown } = fakeNotificationApi('granted');
    const { notifier } = setup(api, true);
    notifier.notify(ringing({ number: WITHHELD }));
    expect(shown[0].options.body).toBe('非通知');
  });

  it('does not notify while the tab is visible (the in-app popup is enough)', () => {
    const { api, shown } = fakeNotificationApi('granted');
    const { notifier } = setup(api, false);
    expect(notifier.notify(ringing())).toBeNull();
    expect(shown).toHaveLength(0);
  });
});

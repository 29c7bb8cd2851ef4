import { Injectable, InjectionToken, inject, signal } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import type { PopupRinging } from './popup-protocol';

/** The browser parts the notifier uses, replaceable in unit tests. */
export interface NotificationEnvironment {
  /** The Notification API, or null where the browser has none (or the page is not a secure context). */
  notification: () => typeof Notification | null;
  hidden: () => boolean;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  focus: () => void;
}

export const NOTIFICATION_ENVIRONMENT = new InjectionToken<NotificationEnvironment>('NOTIFICATION_ENVIRONMENT', {
  providedIn: 'root',
  factory: () => ({
    notification: () => (typeof Notification === 'undefined' ? null : Notification),
    hidden: () => document.hidden,
    storage: localStorage,
    focus: () => window.focus(),
  }),
});

/** Remembered per browser: the user said no once, so the app never asks again by itself. */
export const REFUSED_KEY = 'popup.notifications.refused';

/**
 * What the in-app banner says:
 * - `ask`: not decided yet; a button asks (the browser allows asking from a user gesture only),
 * - `granted`: nothing to show,
 * - `refused`: the browser or the user refused: popups show in this tab only,
 * - `unsupported`: no Notification API here.
 */
export type NotificationState = 'ask' | 'granted' | 'refused' | 'unsupported';

/** Desktop notifications for calls that ring while the tab is in the background. */
@Injectable({ providedIn: 'root' })
export class DesktopNotifier {
  private readonly env = inject(NOTIFICATION_ENVIRONMENT);
  private readonly transloco = inject(TranslocoService);
  readonly state = signal<NotificationState>(this.current());

  private current(): NotificationState {
    const api = this.env.notification();
    if (!api) return 'unsupported';
    if (api.permission === 'granted') return 'granted';
    if (api.permission === 'denied' || this.env.storage.getItem(REFUSED_KEY) === '1') return 'refused';
    return 'ask';
  }

  /** Asks the browser once; call from a click. A refusal (or dismissing the prompt) is remembered. */
  async ask(): Promise<NotificationState> {
    const api = this.env.notification();
    if (!api) return this.settle('unsupported');
    const answer = await api.requestPermission();
    if (answer !== 'granted') this.env.storage.setItem(REFUSED_KEY, '1');
    return this.settle(answer === 'granted' ? 'granted' : 'refused');
  }

  /** Declines without asking the browser (the banner's "not now"): remembered like a refusal. */
  decline(): void {
    this.env.storage.setItem(REFUSED_KEY, '1');
    this.settle('refused');
  }

  /** Shows a desktop notification for the call when the tab is hidden and permission was given. */
  notify(call: PopupRinging): Notification | null {
    const api = this.env.notification();
    if (!api || api.permission !== 'granted' || !this.env.hidden()) return null;
    const who = call.number.withheld
      ? this.transloco.translate('popup.call.withheld')
      : call.customers.length === 1
        ? `${call.customers[0].name} (${call.number.display})`
        : call.number.display;
    const title = this.transloco.translate('popup.notification.title', { line: call.lineName ?? call.siteName });
    const notification = new api(title, { body: who, tag: call.key, requireInteraction: true });
    notification.onclick = () => {
      this.env.focus();
      notification.close();
    };
    return notification;
  }

  private settle(state: NotificationState): NotificationState {
    this.state.set(state);
    return state;
  }
}

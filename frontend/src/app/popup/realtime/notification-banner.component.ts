import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { DesktopNotifier } from './desktop-notifier.service';

/**
 * Desktop notifications for 応対力, at the top of the page (in the flow, so it never covers a
 * button): the offer to turn them on (the browser asks only from a click) and, when refused or
 * unavailable, the plain statement that calls show inside this tab only.
 */
@Component({
  selector: 'app-notification-banner',
  imports: [MatButtonModule, MatIconModule, TranslocoPipe],
  template: `
    @let state = notifier.state();
    @if (state === 'ask') {
      <div class="layer-note" data-testid="notification-offer">
        <span>{{ 'popup.notification.offer' | transloco }}</span>
        <span class="note-actions">
          <button mat-button type="button" (click)="notifier.decline()" data-testid="notification-decline">
            {{ 'popup.notification.notNow' | transloco }}
          </button>
          <button mat-flat-button type="button" (click)="notifier.ask()" data-testid="notification-enable">
            {{ 'popup.notification.enable' | transloco }}
          </button>
        </span>
      </div>
    } @else if ((state === 'refused' || state === 'unsupported') && !fallbackHidden()) {
      <div class="layer-note warn" role="status" data-testid="notification-fallback">
        <span>{{
          (state === 'refused' ? 'popup.notification.refused' : 'popup.notification.unsupported') | transloco
        }}</span>
        <button
          mat-icon-button
          type="button"
          (click)="fallbackHidden.set(true)"
          [attr.aria-label]="'common.close' | transloco"
        >
          <mat-icon svgIcon="close" />
        </button>
      </div>
    }
  `,
  styles: `
    .layer-note {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      box-sizing: border-box;
      padding: 4px 4px 4px 12px;
      margin: 0 0 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high, #eee);
      font-size: 13px;
    }
    .layer-note.warn {
      background: #fff8e1;
      color: #5d4037;
    }
    .note-actions {
      display: flex;
      flex-shrink: 0;
    }
  `,
})
export class NotificationBannerComponent {
  protected readonly notifier = inject(DesktopNotifier);
  /** The fallback banner can be put away for this page load; it comes back after a reload. */
  protected readonly fallbackHidden = signal(false);
}

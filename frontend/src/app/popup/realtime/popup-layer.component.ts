import { Component, DestroyRef, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { DesktopNotifier } from './desktop-notifier.service';
import { PopupCardComponent } from './popup-card.component';
import { PopupSocketService } from './popup-socket.service';

/**
 * The incoming-call layer, mounted once in the shell for people who answer 応対力 calls: the stack
 * of popups (newest on top) floating over the page, and desktop notifications for new calls.
 */
@Component({
  selector: 'app-popup-layer',
  imports: [TranslocoPipe, PopupCardComponent],
  template: `
    <div class="popup-layer" data-testid="popup-stack" [attr.data-connection]="socket.connection()">
      @if (socket.connection() === 'reconnecting') {
        <p class="layer-note warn" role="status" data-testid="popup-reconnecting">
          {{ 'popup.layer.reconnecting' | transloco }}
        </p>
      }
      @for (entry of socket.stack(); track entry.call.key) {
        <app-popup-card [entry]="entry" (dismissed)="socket.dismiss($event)" />
      }
    </div>
  `,
  styles: `
    .popup-layer {
      position: fixed;
      right: 16px;
      bottom: 16px;
      z-index: 900;
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      gap: 10px;
      max-height: calc(100vh - 88px);
      overflow-y: auto;
      pointer-events: none;
    }
    .popup-layer > * {
      pointer-events: auto;
      /* Never squeezed: a tall stack scrolls instead of cutting cards. */
      flex-shrink: 0;
    }
    /* A note only: clicks go through it to the page. */
    .popup-layer > .layer-note {
      pointer-events: none;
    }
    .layer-note {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      width: 380px;
      max-width: calc(100vw - 32px);
      box-sizing: border-box;
      padding: 6px 6px 6px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high, #eee);
      box-shadow: 0 2px 8px rgb(0 0 0 / 15%);
      font-size: 13px;
    }
    .layer-note.warn {
      background: #fff8e1;
      color: #5d4037;
    }
  `,
})
export class PopupLayerComponent {
  protected readonly socket = inject(PopupSocketService);
  private readonly notifier = inject(DesktopNotifier);

  constructor() {
    this.socket.onNewCall((call) => this.notifier.notify(call));
    this.socket.start();
    // The shell goes away on sign-out: the socket (a root service) must not outlive the session.
    inject(DestroyRef).onDestroy(() => this.socket.stop());
  }
}

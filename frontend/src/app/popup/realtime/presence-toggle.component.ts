import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { PopupApi } from '../popup.api';
import { PopupSocketService } from './popup-socket.service';

/** 受付中 / 離席 in the shell header: whether calls pop up for this user (on all their PCs). */
@Component({
  selector: 'app-presence-toggle',
  imports: [MatButtonModule, TranslocoPipe],
  template: `
    @if (presence(); as p) {
      <button
        mat-stroked-button
        type="button"
        class="presence"
        [class.available]="p === 'available'"
        [attr.aria-pressed]="p === 'available'"
        [attr.title]="'popup.presence.hint' | transloco"
        [disabled]="busy()"
        (click)="toggle()"
        data-testid="presence-toggle"
      >
        <span class="dot" aria-hidden="true"></span>
        {{ 'popup.presence.' + p | transloco }}
      </button>
    }
    @if (failed()) {
      <span class="cdk-visually-hidden" role="alert">{{ 'popup.presence.failed' | transloco }}</span>
    }
  `,
  styles: `
    .presence {
      margin-right: 8px;
    }
    .dot {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #9e9e9e;
      margin-right: 6px;
    }
    .available .dot {
      background: #2e7d32;
    }
  `,
})
export class PresenceToggleComponent {
  private readonly api = inject(PopupApi);
  private readonly socket = inject(PopupSocketService);
  protected readonly presence = computed(() => this.socket.presence());
  protected readonly busy = signal(false);
  protected readonly failed = signal(false);

  constructor() {
    this.api.myRouting().subscribe({ next: (r) => this.socket.presence.set(r.presence), error: () => undefined });
  }

  protected toggle(): void {
    const next = this.presence() === 'available' ? 'away' : 'available';
    this.busy.set(true);
    this.failed.set(false);
    this.api.setMyPresence(next).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.socket.presence.set(r.presence);
      },
      error: () => {
        this.busy.set(false);
        this.failed.set(true);
      },
    });
  }
}

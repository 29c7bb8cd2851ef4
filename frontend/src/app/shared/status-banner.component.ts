import { Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';

/** Coloured message line. Shows `text` (server wording) or else the translated `key`. */
@Component({
  selector: 'app-status-banner',
  imports: [MatIconModule, TranslocoPipe],
  template: `
    <p class="banner" [class]="kind()" role="status">
      <mat-icon [svgIcon]="kind() === 'ok' ? 'ok' : kind() === 'warn' ? 'warning' : 'error'" />
      <span>
        @if (key()) {
          {{ key() | transloco: params() }}
        }
        @if (text()) {
          {{ key() ? ' ' : '' }}{{ text() }}
        }
      </span>
    </p>
  `,
})
export class StatusBannerComponent {
  readonly kind = input<'ok' | 'error' | 'warn'>('error');
  readonly key = input<string | null>(null);
  readonly params = input<Record<string, unknown> | undefined>(undefined);
  readonly text = input<string | null | undefined>(null);
}

import { ClipboardModule } from '@angular/cdk/clipboard';
import { Component, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';

@Component({
  selector: 'app-secret-reveal',
  imports: [ClipboardModule, MatButtonModule, MatIconModule, MatTooltipModule, TranslocoPipe],
  template: `
    <p class="banner warn">
      <mat-icon svgIcon="warning" />
      {{ warningKey() | transloco }}
    </p>
    <div class="secret-row">
      <code data-testid="secret-value">{{ secret() }}</code>
      <button
        mat-stroked-button
        [cdkCopyToClipboard]="secret()"
        (cdkCopyToClipboardCopied)="copied.set($event)"
        data-testid="secret-copy"
      >
        <mat-icon [svgIcon]="copied() ? 'check' : 'copy'" />
        {{ (copied() ? 'common.copied' : 'common.copy') | transloco }}
      </button>
    </div>
  `,
  styles: `
    .secret-row {
      display: flex;
      align-items: center;
      gap: 12px;
      margin-top: 12px;
    }
    code {
      flex: 1;
      padding: 10px 12px;
      background: var(--mat-sys-surface-container-high);
      border-radius: 6px;
      font-size: 15px;
      word-break: break-all;
      user-select: all;
    }
  `,
})
export class SecretRevealComponent {
  readonly secret = input.required<string>();
  readonly warningKey = input.required<string>();
  protected readonly copied = signal(false);
}

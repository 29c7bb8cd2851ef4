import { ClipboardModule } from '@angular/cdk/clipboard';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';

export interface ConnectionDetail {
  labelKey: string;
  value: string;
  /** A secret the appliance keeps only hashed: this is the one time it can be shown. */
  secret?: boolean;
  testId: string;
}

/** What the carrier needs to deliver to a connector (URL + token, SFTP host + account), each with a copy button. */
@Component({
  selector: 'app-flexd-connection-details-dialog',
  imports: [ClipboardModule, MatButtonModule, MatDialogModule, MatIconModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ 'flexdplayer.connectors.detailsTitle' | transloco }}</h2>
    <mat-dialog-content data-testid="connector-details">
      @if (hasSecret) {
        <p class="banner warn">
          <mat-icon svgIcon="warning" />
          {{ 'flexdplayer.connectors.shownOnce' | transloco }}
        </p>
      }
      <dl class="details">
        @for (d of details; track d.testId) {
          <dt>{{ d.labelKey | transloco }}</dt>
          <dd>
            <code [attr.data-testid]="d.testId">{{ d.value }}</code>
            <button
              mat-stroked-button
              type="button"
              [cdkCopyToClipboard]="d.value"
              (cdkCopyToClipboardCopied)="copied.set(d.testId)"
              [attr.aria-label]="('common.copy' | transloco) + ': ' + (d.labelKey | transloco)"
              [attr.data-testid]="d.testId + '-copy'"
            >
              <mat-icon [svgIcon]="copied() === d.testId ? 'check' : 'copy'" />
              {{ (copied() === d.testId ? 'common.copied' : 'common.copy') | transloco }}
            </button>
          </dd>
        }
      </dl>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button mat-dialog-close data-testid="connector-details-close">
        {{ 'common.close' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .details {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 10px 16px;
      align-items: center;
      margin: 12px 0 0;
    }
    dt {
      font-weight: 500;
    }
    dd {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 0;
    }
    code {
      flex: 1;
      padding: 8px 10px;
      background: var(--mat-sys-surface-container-high);
      border-radius: 6px;
      word-break: break-all;
      user-select: all;
    }
  `,
})
export class ConnectionDetailsDialogComponent {
  protected readonly details = inject<ConnectionDetail[]>(MAT_DIALOG_DATA);
  protected readonly hasSecret = this.details.some((d) => d.secret);
  protected readonly copied = signal<string | null>(null);
}

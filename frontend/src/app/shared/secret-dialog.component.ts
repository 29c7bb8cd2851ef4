import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { SecretRevealComponent } from './secret-reveal.component';

export interface SecretData {
  titleKey: string;
  secret: string;
  warningKey: string;
}

/** Shows a secret (temporary password, API key) exactly once. */
@Component({
  selector: 'app-secret-dialog',
  imports: [MatDialogModule, MatButtonModule, TranslocoPipe, SecretRevealComponent],
  template: `
    <h2 mat-dialog-title>{{ data.titleKey | transloco }}</h2>
    <mat-dialog-content>
      <app-secret-reveal [secret]="data.secret" [warningKey]="data.warningKey" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button mat-dialog-close data-testid="secret-close">
        {{ 'common.close' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
})
export class SecretDialogComponent {
  protected readonly data = inject<SecretData>(MAT_DIALOG_DATA);
}

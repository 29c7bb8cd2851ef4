import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { Observable, filter, switchMap } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';

export interface ConfirmData {
  titleKey: string;
  messageKey: string;
  params?: Record<string, unknown>;
  confirmKey?: string;
  danger?: boolean;
}

@Component({
  selector: 'app-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ data.titleKey | transloco: data.params }}</h2>
    <mat-dialog-content>{{ data.messageKey | transloco: data.params }}</mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button [mat-dialog-close]="false" data-testid="confirm-cancel">
        {{ 'common.cancel' | transloco }}
      </button>
      <button mat-flat-button [class.danger]="data.danger" [mat-dialog-close]="true" data-testid="confirm-ok">
        {{ data.confirmKey ?? 'common.ok' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
}

/** Asks first; runs `action` only on an explicit yes (Escape, the backdrop and Cancel all say no). */
export function afterConfirm<T>(dialog: MatDialog, data: ConfirmData, action: () => Observable<T>): Observable<T> {
  return dialog
    .open(ConfirmDialogComponent, { data, width: '440px' })
    .afterClosed()
    .pipe(
      filter((ok) => ok === true),
      switchMap(action),
    );
}

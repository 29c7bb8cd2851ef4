import { Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { formatTypedNumber } from '../../recordings/phone-input';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { CarrierLine, DeliveredFile, FlexdplayerApi, ImportOutcome } from '../flexdplayer.api';

export interface AssignDialogData {
  file: DeliveredFile;
  lines: CarrierLine[];
}

/** Closes with the import's outcome, or 'new-line' when the admin would rather register the file's number. */
export type AssignResult = ImportOutcome | 'new-line';

/** Imports a quarantined file as a call of a carrier line the admin picks. */
@Component({
  selector: 'app-flexd-assign-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'flexdplayer.files.assignTitle' | transloco }}</h2>
    <mat-dialog-content class="form-column dialog-form">
      <p>
        {{ 'flexdplayer.files.assignIntro' | transloco: { file: data.file.fileName, number: ownNumber } }}
      </p>
      @if (error(); as e) {
        <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
      }
      @if (data.lines.length) {
        <mat-form-field>
          <mat-label>{{ 'flexdplayer.files.line' | transloco }}</mat-label>
          <mat-select [formControl]="line" data-testid="assign-line">
            @for (l of data.lines; track l.id) {
              <mat-option [value]="l.id">{{ format(l.e164) }} {{ l.label ?? '' }}</mat-option>
            }
          </mat-select>
          <mat-error><app-field-error [control]="line" /></mat-error>
        </mat-form-field>
      } @else {
        <p class="muted">{{ 'flexdplayer.files.noLines' | transloco }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close data-testid="assign-cancel">
        {{ 'common.cancel' | transloco }}
      </button>
      <button mat-stroked-button type="button" [mat-dialog-close]="'new-line'" data-testid="assign-new-line">
        {{ 'flexdplayer.files.newLine' | transloco }}
      </button>
      @if (data.lines.length) {
        <button mat-flat-button type="button" (click)="assign()" [disabled]="busy()" data-testid="assign-save">
          {{ 'flexdplayer.files.assign' | transloco }}
        </button>
      }
    </mat-dialog-actions>
  `,
})
export class AssignDialogComponent {
  private readonly api = inject(FlexdplayerApi);
  private readonly ref = inject(MatDialogRef<AssignDialogComponent, AssignResult>);
  protected readonly data = inject<AssignDialogData>(MAT_DIALOG_DATA);
  protected readonly line = new FormControl('', { nonNullable: true, validators: Validators.required });
  protected readonly ownNumber = this.data.file.ownNumber ? formatTypedNumber(this.data.file.ownNumber) : '—';
  protected readonly format = formatTypedNumber;
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);

  protected assign(): void {
    if (this.line.invalid) {
      this.line.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.api.assignFile(this.data.file.id, this.line.value).subscribe({
      next: (outcome) => this.ref.close(outcome),
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }
}

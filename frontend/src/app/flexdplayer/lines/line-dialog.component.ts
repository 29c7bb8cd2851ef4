import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable } from 'rxjs';
import { User } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { bannerProblems, CarrierLine, FlexdplayerApi } from '../flexdplayer.api';

export interface LineDialogData {
  line: CarrierLine | null;
  users: User[];
  /** A number to start from (assigning a quarantined file to a new line). */
  number?: string;
}

/** What the dialog closes with: the saved line and, for a new one, how many held files it released. */
export type LineSaved = CarrierLine & { released?: number };

/** Creates a carrier line (the number in any Japanese format: 090-1234-5678, +81 90..., 全角) or edits its label and user. */
@Component({
  selector: 'app-flexd-line-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  template: `
    <h2 mat-dialog-title>
      {{ (data.line ? 'flexdplayer.lines.editTitle' : 'flexdplayer.lines.createTitle') | transloco }}
    </h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="form-column dialog-form">
        @for (e of errors(); track $index) {
          <app-status-banner kind="error" [text]="e || null" [key]="e ? null : 'errors.generic'" />
        }
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'flexdplayer.lines.number' | transloco }}</mat-label>
          <input matInput formControlName="number" inputmode="tel" autocomplete="off" data-testid="line-number" />
          <mat-hint>{{ 'flexdplayer.lines.numberHint' | transloco }}</mat-hint>
          <mat-error><app-field-error [control]="form.controls.number" /></mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'flexdplayer.lines.label' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
          <input matInput formControlName="label" data-testid="line-label" />
          <mat-error><app-field-error [control]="form.controls.label" /></mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'flexdplayer.lines.user' | transloco }}</mat-label>
          <mat-select formControlName="userId" data-testid="line-user">
            <mat-option value="">{{ 'flexdplayer.lines.noUser' | transloco }}</mat-option>
            @for (u of data.users; track u.id) {
              <mat-option [value]="u.id">{{ u.displayName }} ({{ u.email }})</mat-option>
            }
          </mat-select>
          <mat-hint>{{ 'flexdplayer.lines.userHint' | transloco }}</mat-hint>
          <mat-error><app-field-error [control]="form.controls.userId" /></mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="line-cancel">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="line-save">
          {{ 'common.save' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
})
export class LineDialogComponent {
  private readonly api = inject(FlexdplayerApi);
  private readonly ref = inject(MatDialogRef<LineDialogComponent, LineSaved>);
  protected readonly data = inject<LineDialogData>(MAT_DIALOG_DATA);
  protected readonly form = inject(NonNullableFormBuilder).group({
    number: [this.data.line?.e164 ?? this.data.number ?? '', [Validators.required, Validators.maxLength(64)]],
    label: [this.data.line?.label ?? '', Validators.maxLength(100)],
    userId: [this.data.line?.userId ?? ''],
  });
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[] | null>(null);

  constructor() {
    if (this.data.line) this.form.controls.number.disable();
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const common = { label: v.label.trim() || null, userId: v.userId || null };
    const request: Observable<LineSaved> = this.data.line
      ? this.api.updateLine(this.data.line.id, common)
      : this.api.createLine({ number: v.number.trim(), ...common });
    this.busy.set(true);
    this.errors.set(null);
    request.subscribe({
      next: (line) => this.ref.close(line),
      error: (err: unknown) => {
        this.busy.set(false);
        this.errors.set(bannerProblems(this.form, err));
      },
    });
  }
}

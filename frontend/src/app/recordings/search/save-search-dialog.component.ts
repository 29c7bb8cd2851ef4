import { Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';

/** Asks for the name of a saved search; closes with the name, or nothing when cancelled. */
@Component({
  selector: 'app-save-search-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ 'recordings.saved.saveTitle' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content>
        <p class="muted small">{{ 'recordings.saved.where' | transloco }}</p>
        <mat-form-field class="full">
          <mat-label>{{ 'recordings.saved.name' | transloco }}</mat-label>
          <input matInput formControlName="name" maxlength="60" cdkFocusInitial data-testid="saved-search-name" />
          @if (name.invalid && name.touched) {
            <mat-error>{{ 'errors.required' | transloco }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" data-testid="saved-search-save">{{ 'common.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.full { width: 100%; min-width: 320px; }',
})
export class SaveSearchDialogComponent {
  private readonly ref = inject(MatDialogRef<SaveSearchDialogComponent, string>);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.pattern(/\S/)]],
  });
  protected readonly name = this.form.controls.name;

  protected save(): void {
    this.name.markAsTouched();
    if (this.name.valid) this.ref.close(this.name.value.trim());
  }
}

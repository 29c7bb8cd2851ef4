import { Component, inject, input } from '@angular/core';
import { AbstractControl, ControlContainer, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from './field-error.component';

/**
 * New password + confirmation with the policy hint, bound by name to the enclosing
 * `[formGroup]` (pair with `matchValidator` on that group). Renders no box of its own.
 */
@Component({
  selector: 'app-new-password-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslocoPipe, FieldErrorComponent],
  // Lets formControlName inside this view register with the parent form.
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  styles: ':host { display: contents; }',
  template: `
    <mat-form-field>
      <mat-label>{{ passwordLabel() | transloco }}</mat-label>
      <input
        matInput
        type="password"
        [formControlName]="passwordName()"
        autocomplete="new-password"
        [attr.data-testid]="passwordTestId()"
      />
      <mat-hint>{{ 'password.policy' | transloco }}</mat-hint>
      <mat-error><app-field-error [control]="control(passwordName())" /></mat-error>
    </mat-form-field>
    <mat-form-field class="after-hint">
      <mat-label>{{ 'fields.passwordConfirm' | transloco }}</mat-label>
      <input
        matInput
        type="password"
        [formControlName]="confirmName()"
        autocomplete="new-password"
        [attr.data-testid]="confirmTestId()"
      />
      <mat-error><app-field-error [control]="control(confirmName())" /></mat-error>
    </mat-form-field>
  `,
})
export class NewPasswordFieldsComponent {
  private readonly container = inject(ControlContainer, { skipSelf: true });

  readonly passwordName = input('password');
  readonly confirmName = input('confirm');
  readonly passwordLabel = input('fields.password');
  readonly passwordTestId = input.required<string>();
  readonly confirmTestId = input.required<string>();

  protected control(name: string): AbstractControl {
    const c = this.container.control?.get(name);
    if (!c) throw new Error(`app-new-password-fields: no control "${name}"`);
    return c;
  }
}

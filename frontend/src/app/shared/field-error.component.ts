import { Component, input } from '@angular/core';
import { AbstractControl } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';

/** The first error of a control as text; put it inside <mat-error>. */
@Component({
  selector: 'app-field-error',
  imports: [TranslocoPipe],
  template: `
    @let c = control();
    @if (c.hasError('server')) {
      {{ c.getError('server') }}
    } @else if (c.hasError('required')) {
      {{ 'errors.required' | transloco }}
    } @else if (c.hasError('email')) {
      {{ 'errors.email' | transloco }}
    } @else if (c.hasError('minlength')) {
      {{ 'errors.minlength' | transloco: { n: c.getError('minlength').requiredLength } }}
    } @else if (c.hasError('policy')) {
      {{ 'errors.policy' | transloco }}
    } @else if (c.hasError('mismatch')) {
      {{ 'errors.mismatch' | transloco }}
    } @else if (c.hasError('min') || c.hasError('max') || c.hasError('pattern')) {
      {{ 'errors.invalid' | transloco }}
    }
  `,
})
export class FieldErrorComponent {
  readonly control = input.required<AbstractControl>();
}

import { Component, inject } from '@angular/core';
import { AbstractControl, ControlContainer, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';

const LIMITS = ['timeoutMs', 'cacheTtlSeconds'] as const;

/**
 * A lookup connector's timeout and cache TTL boxes, bound to the `timeoutMs` and `cacheTtlSeconds`
 * controls of the form it sits in (the enclosing form's container is handed through, so they submit
 * and show server errors with it).
 */
@Component({
  selector: 'app-lookup-limits-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslocoPipe, FieldErrorComponent],
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  // `contents`: the boxes stay items of the form's own flex grid.
  host: { style: 'display: contents' },
  template: `
    @for (name of limits; track name) {
      <mat-form-field>
        <mat-label>{{ 'popupIntegrations.' + name | transloco }}</mat-label>
        <input matInput type="number" [formControlName]="name" />
        <mat-error><app-field-error [control]="control(name)" /></mat-error>
      </mat-form-field>
    }
  `,
})
export class LookupLimitsFieldsComponent {
  private readonly container = inject(ControlContainer, { skipSelf: true });
  protected readonly limits = LIMITS;

  protected control(name: string): AbstractControl {
    const control = this.container.control?.get(name);
    if (!control) throw new Error(`app-lookup-limits-fields needs a "${name}" control in its form`);
    return control;
  }
}

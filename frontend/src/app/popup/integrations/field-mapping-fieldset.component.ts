import { Component, input } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';

/** One text box per field of a connector's mapping (card field -> kintone field code or JSONPath). */
@Component({
  selector: 'app-field-mapping-fieldset',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslocoPipe, FieldErrorComponent],
  template: `
    <fieldset class="mapping" [formGroup]="group()">
      <legend>{{ legendKey() | transloco }}</legend>
      @for (field of fields(); track field) {
        <mat-form-field>
          <mat-label>{{ labelKeyPrefix() + field | transloco }}</mat-label>
          <input matInput [formControlName]="field" [placeholder]="placeholder()" />
          <mat-error><app-field-error [control]="group().controls[field]" /></mat-error>
        </mat-form-field>
      }
    </fieldset>
  `,
  styleUrl: './integrations.scss',
})
export class FieldMappingFieldsetComponent {
  readonly group = input.required<FormGroup>();
  readonly fields = input.required<readonly string[]>();
  readonly legendKey = input.required<string>();
  /** i18n key prefix of each field's label, e.g. `popupIntegrations.cardFields.`. */
  readonly labelKeyPrefix = input.required<string>();
  readonly placeholder = input('');
}

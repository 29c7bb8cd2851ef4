import { Directive, inject, signal } from '@angular/core';
import { FormBuilder, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable } from 'rxjs';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { FieldMappingFieldsetComponent } from './field-mapping-fieldset.component';
import { CARD_FIELDS, IntegrationsApi } from './integrations.api';
import { LookupLimitsFieldsComponent } from './lookup-limits-fields.component';
import { LookupTestPanelComponent } from './lookup-test-panel.component';

/** What a connector panel's template is built from (its component's `imports`). */
export const CONNECTOR_PANEL_IMPORTS = [
  ReactiveFormsModule,
  MatButtonModule,
  MatFormFieldModule,
  MatInputModule,
  MatSlideToggleModule,
  TranslocoPipe,
  FieldErrorComponent,
  FieldMappingFieldsetComponent,
  LookupLimitsFieldsComponent,
  LookupTestPanelComponent,
];

/** The filled rows of a mapping form: a blank row means "not mapped" and is not sent. */
export function filledMapping(group: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(group).filter(([, target]) => target.trim()));
}

/**
 * What the lookup connector panels (kintone, lookup hook) share: a settings form saved in one PUT, the
 * server's field errors put on the form, a "saved" banner and an error banner.
 */
@Directive()
export abstract class ConnectorSettingsPanel {
  protected readonly api = inject(IntegrationsApi);
  protected readonly fb = inject(FormBuilder).nonNullable;
  protected readonly cardFields = CARD_FIELDS;
  protected readonly error = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected abstract readonly form: FormGroup;

  /** One blank text control per field. */
  protected mappingGroup(fields: readonly string[]): FormGroup {
    return this.fb.group(Object.fromEntries(fields.map((f) => [f, ['']])) as Record<string, [string]>);
  }

  protected readonly showError = (err: unknown): void => this.error.set(apiMessage(err));

  /** Clears the banners, sends what `request` builds, and on failure marks the fields the server named. */
  protected submitSettings<T>(request: () => Observable<T>, onSaved: (settings: T) => void): void {
    this.error.set(null);
    this.saved.set(false);
    request().subscribe({
      next: (settings) => {
        onSaved(settings);
        this.saved.set(true);
      },
      error: (err: unknown) => {
        if (!applyServerErrors(this.form, err)) this.error.set(apiMessage(err));
      },
    });
  }
}

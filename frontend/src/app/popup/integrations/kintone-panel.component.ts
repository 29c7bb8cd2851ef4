import { DatePipe } from '@angular/common';
import { Component, inject, signal } from '@angular/core';
import { FormBuilder, FormGroup, FormsModule, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { CARD_FIELDS, HISTORY_FIELDS, IntegrationsApi, KintoneConnector, LookupTestResult } from './integrations.api';
import { LookupTestResultComponent } from './lookup-test-result.component';

const filled = (group: Record<string, string>) =>
  Object.fromEntries(Object.entries(group).filter(([, code]) => code.trim()));

/** The kintone connector: customer app lookup by number, history app write-back, and a test button. */
@Component({
  selector: 'app-kintone-panel',
  imports: [
    DatePipe,
    FormsModule,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslocoPipe,
    FieldErrorComponent,
    LookupTestResultComponent,
  ],
  templateUrl: './kintone-panel.component.html',
  styleUrl: './integrations.scss',
})
export class KintonePanelComponent {
  private readonly api = inject(IntegrationsApi);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly cardFields = CARD_FIELDS;
  protected readonly historyFields = HISTORY_FIELDS;
  protected readonly state = signal<KintoneConnector | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected readonly result = signal<LookupTestResult | null>(null);
  protected testNumber = '';
  protected readonly mapping: FormGroup = this.fb.group(
    Object.fromEntries(CARD_FIELDS.map((f) => [f, ['']])) as Record<string, [string]>,
  );
  protected readonly historyMapping: FormGroup = this.fb.group(
    Object.fromEntries(HISTORY_FIELDS.map((f) => [f, ['']])) as Record<string, [string]>,
  );
  protected readonly form = this.fb.group({
    enabled: [false],
    baseUrl: ['', Validators.required],
    appId: [0],
    apiToken: [''],
    phoneField: ['', Validators.required],
    mapping: this.mapping,
    historyEnabled: [false],
    historyAppId: [0],
    historyApiToken: [''],
    historyMapping: this.historyMapping,
    timeoutMs: [2000],
    cacheTtlSeconds: [300],
  });

  constructor() {
    this.api.kintone().subscribe({
      next: (c) => this.fill(c),
      error: (err: unknown) => this.error.set(apiMessage(err)),
    });
  }

  protected save(): void {
    this.error.set(null);
    this.saved.set(false);
    const v = this.form.getRawValue();
    this.api
      .saveKintone({
        enabled: v.enabled,
        baseUrl: v.baseUrl,
        appId: Number(v.appId),
        // Blank keeps the saved token: it is never shown again.
        ...(v.apiToken ? { apiToken: v.apiToken } : {}),
        phoneField: v.phoneField,
        mapping: filled(v.mapping as Record<string, string>),
        historyEnabled: v.historyEnabled,
        historyAppId: v.historyAppId ? Number(v.historyAppId) : null,
        ...(v.historyApiToken ? { historyApiToken: v.historyApiToken } : {}),
        historyMapping: filled(v.historyMapping as Record<string, string>),
        timeoutMs: Number(v.timeoutMs),
        cacheTtlSeconds: Number(v.cacheTtlSeconds),
      })
      .subscribe({
        next: (c) => {
          this.fill(c);
          this.saved.set(true);
        },
        error: (err: unknown) => {
          if (!applyServerErrors(this.form, err)) this.error.set(apiMessage(err));
        },
      });
  }

  protected test(): void {
    this.result.set(null);
    this.error.set(null);
    this.api.testKintone(this.testNumber).subscribe({
      next: (result) => this.result.set(result),
      error: (err: unknown) => this.error.set(apiMessage(err)),
    });
  }

  private fill(c: KintoneConnector): void {
    this.state.set(c);
    if (!c.configured) return;
    this.form.patchValue({
      enabled: c.enabled,
      baseUrl: c.baseUrl,
      appId: c.appId,
      apiToken: '',
      phoneField: c.phoneField,
      historyEnabled: c.historyEnabled,
      historyAppId: c.historyAppId ?? 0,
      historyApiToken: '',
      timeoutMs: c.timeoutMs,
      cacheTtlSeconds: c.cacheTtlSeconds,
    });
    this.mapping.patchValue(c.mapping ?? {});
    this.historyMapping.patchValue(c.historyMapping ?? {});
  }
}

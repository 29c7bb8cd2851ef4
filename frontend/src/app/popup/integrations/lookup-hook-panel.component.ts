import { Component, inject, signal } from '@angular/core';
import { FormBuilder, FormGroup, FormsModule, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { CARD_FIELDS, IntegrationsApi, LookupTestResult } from './integrations.api';
import { LookupTestResultComponent } from './lookup-test-result.component';

/** "Name: value" lines -> headers; blank means keep the saved ones (their values are never shown). */
export function parseHeaderLines(text: string): Record<string, string> | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (!lines.length) return undefined;
  return Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf(':');
      return at < 0 ? [line.trim(), ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    }),
  );
}

/** The external lookup hook: URL template, headers, timeout, cache, JSONPath mapping, and a test button. */
@Component({
  selector: 'app-lookup-hook-panel',
  imports: [
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
  templateUrl: './lookup-hook-panel.component.html',
  styleUrl: './integrations.scss',
})
export class LookupHookPanelComponent {
  private readonly api = inject(IntegrationsApi);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly cardFields = CARD_FIELDS;
  protected readonly headerNames = signal<string[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected readonly result = signal<LookupTestResult | null>(null);
  protected testNumber = '';
  protected readonly mapping: FormGroup = this.fb.group(
    Object.fromEntries(CARD_FIELDS.map((f) => [f, ['']])) as Record<string, [string]>,
  );
  protected readonly form = this.fb.group({
    enabled: [false],
    urlTemplate: ['', Validators.required],
    headers: [''],
    timeoutMs: [1500],
    cacheTtlSeconds: [300],
    recordsPath: [''],
    mapping: this.mapping,
  });

  constructor() {
    this.api.lookupHook().subscribe({
      next: (hook) => {
        this.headerNames.set(hook.headerNames);
        this.form.patchValue({ ...hook, recordsPath: hook.recordsPath ?? '', headers: '' });
        this.mapping.patchValue(hook.mapping);
      },
      error: (err: unknown) => this.error.set(apiMessage(err)),
    });
  }

  protected save(): void {
    this.error.set(null);
    this.saved.set(false);
    const v = this.form.getRawValue();
    const mapping = Object.fromEntries(
      Object.entries(v.mapping as Record<string, string>).filter(([, path]) => path.trim()),
    );
    this.api
      .saveLookupHook({
        enabled: v.enabled,
        urlTemplate: v.urlTemplate,
        headers: parseHeaderLines(v.headers),
        timeoutMs: Number(v.timeoutMs),
        cacheTtlSeconds: Number(v.cacheTtlSeconds),
        recordsPath: v.recordsPath || null,
        mapping,
      })
      .subscribe({
        next: (hook) => {
          this.headerNames.set(hook.headerNames);
          this.form.controls.headers.setValue('');
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
    this.api.testLookupHook(this.testNumber).subscribe({
      next: (result) => this.result.set(result),
      error: (err: unknown) => this.error.set(apiMessage(err)),
    });
  }
}

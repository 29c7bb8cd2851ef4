import { Component, signal } from '@angular/core';
import { FormGroup, Validators } from '@angular/forms';
import { CONNECTOR_PANEL_IMPORTS, ConnectorSettingsPanel, filledMapping } from './connector-settings-panel';
import { CARD_FIELDS } from './integrations.api';

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
  imports: [...CONNECTOR_PANEL_IMPORTS],
  templateUrl: './lookup-hook-panel.component.html',
  styleUrl: './integrations.scss',
})
export class LookupHookPanelComponent extends ConnectorSettingsPanel {
  protected readonly headerNames = signal<string[]>([]);
  protected readonly runTest = (phoneNumber: string) => this.api.testLookupHook(phoneNumber);
  protected readonly mapping: FormGroup = this.mappingGroup(CARD_FIELDS);
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
    super();
    this.api.lookupHook().subscribe({
      next: (hook) => {
        this.headerNames.set(hook.headerNames);
        this.form.patchValue({ ...hook, recordsPath: hook.recordsPath ?? '', headers: '' });
        this.mapping.patchValue(hook.mapping);
      },
      error: this.showError,
    });
  }

  protected save(): void {
    this.submitSettings(
      () => {
        const v = this.form.getRawValue();
        return this.api.saveLookupHook({
          enabled: v.enabled,
          urlTemplate: v.urlTemplate,
          headers: parseHeaderLines(v.headers),
          timeoutMs: Number(v.timeoutMs),
          cacheTtlSeconds: Number(v.cacheTtlSeconds),
          recordsPath: v.recordsPath || null,
          mapping: filledMapping(v.mapping as Record<string, string>),
        });
      },
      (hook) => {
        this.headerNames.set(hook.headerNames);
        this.form.controls.headers.setValue('');
      },
    );
  }
}

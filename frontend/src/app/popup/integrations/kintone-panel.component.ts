import { DatePipe } from '@angular/common';
import { Component, signal } from '@angular/core';
import { FormGroup, Validators } from '@angular/forms';
import { CONNECTOR_PANEL_IMPORTS, ConnectorSettingsPanel, filledMapping } from './connector-settings-panel';
import { CARD_FIELDS, HISTORY_FIELDS, KintoneConnector } from './integrations.api';

/** The kintone connector: customer app lookup by number, history app write-back, and a test button. */
@Component({
  selector: 'app-kintone-panel',
  imports: [DatePipe, ...CONNECTOR_PANEL_IMPORTS],
  templateUrl: './kintone-panel.component.html',
  styleUrl: './integrations.scss',
})
export class KintonePanelComponent extends ConnectorSettingsPanel {
  protected readonly historyFields = HISTORY_FIELDS;
  protected readonly state = signal<KintoneConnector | null>(null);
  protected readonly runTest = (phoneNumber: string) => this.api.testKintone(phoneNumber);
  protected readonly mapping: FormGroup = this.mappingGroup(CARD_FIELDS);
  protected readonly historyMapping: FormGroup = this.mappingGroup(HISTORY_FIELDS);
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
    super();
    this.api.kintone().subscribe({ next: (c) => this.fill(c), error: this.showError });
  }

  protected save(): void {
    this.submitSettings(
      () => {
        const v = this.form.getRawValue();
        return this.api.saveKintone({
          enabled: v.enabled,
          baseUrl: v.baseUrl,
          appId: Number(v.appId),
          // Blank keeps the saved token: it is never shown again.
          ...(v.apiToken ? { apiToken: v.apiToken } : {}),
          phoneField: v.phoneField,
          mapping: filledMapping(v.mapping as Record<string, string>),
          historyEnabled: v.historyEnabled,
          historyAppId: v.historyAppId ? Number(v.historyAppId) : null,
          ...(v.historyApiToken ? { historyApiToken: v.historyApiToken } : {}),
          historyMapping: filledMapping(v.historyMapping as Record<string, string>),
          timeoutMs: Number(v.timeoutMs),
          cacheTtlSeconds: Number(v.cacheTtlSeconds),
        });
      },
      (c) => this.fill(c),
    );
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

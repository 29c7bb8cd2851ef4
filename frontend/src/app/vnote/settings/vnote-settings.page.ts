import { Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { forkJoin } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { ApiErrorBody } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { VnoteApi } from '../vnote-api.service';
import { EngineInfo, EngineName, SummarySettings, VnoteSettings } from '../vnote.types';
import { ENGINE_FIELDS, EngineFormValues, engineOptionsFor, formValuesFor } from './engine-fields';

/** Only tenant admins save (PUT /vnote/settings); supervisors see the settings read-only. */
const SETTINGS_WRITERS = ['tenantAdmin'] as const;

/** Per-tenant transcription settings: engine and its options, language, speaker labels, concurrency, priority, summary. */
@Component({
  selector: 'app-vnote-settings-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './vnote-settings.page.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      max-width: 760px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 12px;
    }
    .row mat-form-field {
      flex: 1 1 260px;
    }
    .engine-reason {
      color: var(--mat-sys-error);
    }
    mat-card {
      margin-bottom: 16px;
      max-width: 800px;
    }
  `,
})
export class VnoteSettingsPage {
  private readonly api = inject(VnoteApi);
  private readonly auth = inject(AuthService);
  protected readonly canWrite = computed(() => this.auth.hasAnyRole(SETTINGS_WRITERS));
  protected readonly loading = signal(true);
  protected readonly saving = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly saved = signal(false);
  /** Per API field name: a translation key (checked here) or the server's wording. */
  protected readonly problems = signal<Record<string, { key?: string; text?: string }>>({});
  protected readonly engines = signal<EngineInfo[]>([]);
  protected readonly summary = signal<SummarySettings | null>(null);
  protected readonly summaryError = signal<{ text: string | null } | null>(null);

  protected readonly engine = signal<EngineName>('pocketsphinx');
  protected readonly engineInfo = computed(() => this.engines().find((e) => e.name === this.engine()) ?? null);
  protected readonly fields = computed(() => ENGINE_FIELDS[this.engine()]);
  protected language = '';
  protected customerLabel = '';
  protected operatorLabel = '';
  protected concurrency = 1;
  protected priority = 0;
  protected options: EngineFormValues = {};
  private stored: VnoteSettings | null = null;

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    forkJoin([this.api.settings(), this.api.summarySettings()]).subscribe({
      next: ([settings, summary]) => {
        this.loading.set(false);
        this.apply(settings);
        this.summary.set(summary);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  private apply(s: VnoteSettings): void {
    this.stored = s;
    this.engines.set(s.engines);
    this.engine.set(s.engine);
    this.language = s.language;
    this.customerLabel = s.speakerLabels.customer;
    this.operatorLabel = s.speakerLabels.operator;
    this.concurrency = s.concurrency;
    this.priority = s.priority;
    this.options = formValuesFor(s.engine, s.engineOptions);
  }

  /** Another engine: its own fields (the stored options when it is the saved engine), a language it has. */
  protected selectEngine(name: EngineName): void {
    this.engine.set(name);
    this.options = formValuesFor(name, this.stored?.engine === name ? this.stored.engineOptions : {});
    const languages = this.engineInfo()?.languages ?? [];
    if (!languages.includes(this.language)) this.language = languages[0] ?? '';
    this.problems.set({});
  }

  protected save(): void {
    const { options, problems } = engineOptionsFor(this.engine(), this.options);
    const local: Record<string, { key: string }> = {};
    for (const p of problems) local['engineOptions.' + p.field] = { key: p.key };
    if (!this.customerLabel.trim()) local['speakerLabels.customer'] = { key: 'required' };
    if (!this.operatorLabel.trim()) local['speakerLabels.operator'] = { key: 'required' };
    this.problems.set(local);
    this.saved.set(false);
    if (Object.keys(local).length) return;
    this.saving.set(true);
    this.error.set(null);
    this.api
      .saveSettings({
        engine: this.engine(),
        language: this.language,
        engineOptions: options,
        speakerLabels: { customer: this.customerLabel.trim(), operator: this.operatorLabel.trim() },
        concurrency: Number(this.concurrency),
        priority: Number(this.priority),
      })
      .subscribe({
        next: (s) => {
          this.saving.set(false);
          this.saved.set(true);
          this.apply(s);
        },
        error: (err: unknown) => {
          this.saving.set(false);
          const fields = err instanceof HttpErrorResponse ? ((err.error as ApiErrorBody | null)?.errors ?? []) : [];
          this.problems.set(Object.fromEntries(fields.map((f) => [f.field, { text: f.message }])));
          this.error.set({ text: apiMessage(err) });
        },
      });
  }

  protected setSummary(enabled: boolean): void {
    this.summaryError.set(null);
    this.api.saveSummarySettings(enabled).subscribe({
      next: (s) => this.summary.set(s),
      error: (err: unknown) => {
        this.summary.update((s) => (s ? { ...s } : s)); // puts the toggle back
        this.summaryError.set({ text: apiMessage(err) });
      },
    });
  }

  protected problem(field: string): { key?: string; text?: string } | null {
    return this.problems()[field] ?? null;
  }
}

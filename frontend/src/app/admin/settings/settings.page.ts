import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { switchMap } from 'rxjs';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { Locale, OrgSettings, Product } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { LANGUAGES } from '../../core/language.service';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { timeZoneOptions } from '../../shared/time-zones';

const BASE = '/api/v1/settings';

@Component({
  selector: 'app-settings-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    ResultBannerComponent,
  ],
  template: `
    <h1 class="page-title">{{ 'settings.title' | transloco }}</h1>
    <mat-card appearance="outlined" class="narrow-card wide">
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="save()" class="form-column">
          <app-result-banner [result]="result()" okKey="common.saved" />
          <mat-form-field>
            <mat-label>{{ 'fields.organizationName' | transloco }}</mat-label>
            <input matInput formControlName="organizationName" data-testid="settings-org-name" />
            <mat-error><app-field-error [control]="form.controls.organizationName" /></mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'fields.timeZone' | transloco }}</mat-label>
            <mat-select formControlName="timeZone" data-testid="settings-timezone">
              @for (tz of zones(); track tz) {
                <mat-option [value]="tz">{{ tz }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'fields.defaultLanguage' | transloco }}</mat-label>
            <mat-select formControlName="defaultLocale" data-testid="settings-default-locale">
              @for (l of languages; track l) {
                <mat-option [value]="l">{{ 'lang.' + l | transloco }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <div class="field-block">
            <div class="field-label">{{ 'fields.products' | transloco }}</div>
            <mat-chip-set>
              @for (p of products(); track p) {
                <mat-chip>{{ 'products.' + p + '.label' | transloco }}</mat-chip>
              }
            </mat-chip-set>
            <div class="muted small">{{ 'settings.productsHint' | transloco }}</div>
          </div>
          <div class="form-actions">
            <button mat-flat-button type="submit" [disabled]="busy() || !loaded()" data-testid="settings-save">
              {{ 'common.save' | transloco }}
            </button>
          </div>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class SettingsPage {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);

  protected readonly languages = LANGUAGES;
  protected readonly form = inject(NonNullableFormBuilder).group({
    organizationName: ['', Validators.required],
    timeZone: ['Asia/Tokyo'],
    defaultLocale: ['ja' as Locale],
  });
  protected readonly zones = signal(timeZoneOptions());
  protected readonly products = signal<Product[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly result = signal<SaveResult | null>(null);

  constructor() {
    this.http.get<OrgSettings>(BASE).subscribe({
      next: (s) => {
        this.form.setValue({
          organizationName: s.organizationName,
          timeZone: s.timeZone,
          defaultLocale: s.defaultLocale,
        });
        this.zones.set(timeZoneOptions(s.timeZone));
        this.products.set(s.products ?? []);
        this.loaded.set(true);
      },
      error: (err: unknown) => this.result.set({ ok: false, text: apiMessage(err) }),
    });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    this.busy.set(true);
    this.result.set(null);
    this.http
      .patch(BASE, { ...v, organizationName: v.organizationName.trim() })
      // The toolbar shows the organization name from the session; refresh it.
      .pipe(switchMap(() => this.auth.reload()))
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.result.set({ ok: true, text: null });
        },
        error: (err: unknown) => {
          this.busy.set(false);
          if (!applyServerErrors(this.form, err)) this.result.set({ ok: false, text: apiMessage(err) });
        },
      });
  }
}

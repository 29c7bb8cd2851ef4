import { HttpErrorResponse } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormArray, FormGroup, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { ApiErrorBody } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { SecretRevealComponent } from '../../shared/secret-reveal.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import {
  FlexlogSitesApi,
  SavedSite,
  Site,
  SiteFields,
  SiteLine,
  formPathOf,
  joinList,
  splitList,
} from './flexlog-sites.api';

/** The site to edit, or null to create one. */
export type SiteFormData = Site | null;

/** Create or edit a FlexLog site; the API's field errors land on the field they name. */
@Component({
  selector: 'app-site-form-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    TranslocoPipe,
    FieldErrorComponent,
    SecretRevealComponent,
    StatusBannerComponent,
  ],
  templateUrl: './site-form-dialog.component.html',
  styles: `
    .two,
    .three {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0 16px;
    }
    .three {
      grid-template-columns: 1fr 1fr 1fr;
    }
    mat-form-field {
      width: 100%;
      margin-bottom: 12px;
    }
    fieldset {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 12px 0;
      margin: 0 0 12px;
    }
    legend {
      padding: 0 4px;
    }
    .line-head {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    .hint {
      margin: 0 0 12px;
    }
  `,
})
export class SiteFormDialogComponent {
  private readonly api = inject(FlexlogSitesApi);
  private readonly ref = inject(MatDialogRef<SiteFormDialogComponent, SavedSite | null>);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly site = inject<SiteFormData>(MAT_DIALOG_DATA);

  protected readonly form = this.fb.group({
    name: [this.site?.name ?? '', [Validators.required, Validators.maxLength(100)]],
    location: [this.site?.location ?? '', Validators.maxLength(200)],
    internalNetworks: [joinList(this.site?.internalNetworks ?? [])],
    extensionPatterns: [joinList(this.site?.extensionPatterns ?? [])],
    lines: this.fb.array((this.site?.lines ?? []).map((l) => this.lineGroup(l))),
    offlineAfterSeconds: [this.site?.offlineAfterSeconds ?? 60, [Validators.required, Validators.min(20)]],
    dropAlertThreshold: [this.site?.dropAlertThreshold ?? 100, [Validators.required, Validators.min(0)]],
    webhookUrl: [this.site?.webhookUrl ?? ''],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  /** Set after a save that made a webhook signing secret: shown once before the dialog closes. */
  protected readonly saved = signal<SavedSite | null>(null);

  protected get lines(): FormArray<FormGroup> {
    return this.form.controls.lines as FormArray<FormGroup>;
  }

  private lineGroup(line?: SiteLine): FormGroup {
    return this.fb.group({
      name: [line?.name ?? '', [Validators.required, Validators.maxLength(50)]],
      numbers: [joinList(line?.numbers ?? [])],
      trunks: [joinList(line?.trunks ?? [])],
    });
  }

  protected addLine(): void {
    this.lines.push(this.lineGroup());
  }

  protected removeLine(index: number): void {
    this.lines.removeAt(index);
  }

  private fields(): SiteFields {
    const v = this.form.getRawValue();
    return {
      name: v.name.trim(),
      location: v.location.trim() || null,
      internalNetworks: splitList(v.internalNetworks),
      extensionPatterns: splitList(v.extensionPatterns),
      lines: (v.lines as { name: string; numbers: string; trunks: string }[]).map((l) => ({
        name: l.name.trim(),
        numbers: splitList(l.numbers),
        trunks: splitList(l.trunks),
      })),
      offlineAfterSeconds: Number(v.offlineAfterSeconds),
      dropAlertThreshold: Number(v.dropAlertThreshold),
      webhookUrl: v.webhookUrl.trim() || null,
    };
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const request = this.site ? this.api.update(this.site.id, this.fields()) : this.api.create(this.fields());
    request.subscribe({
      next: (site) => {
        this.busy.set(false);
        if (site.webhookSecret) this.saved.set(site);
        else this.ref.close(site);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!this.showFieldErrors(err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected done(): void {
    this.ref.close(this.saved());
  }

  /** Puts each `errors[].field` on its control; true when every problem found a field to show on. */
  private showFieldErrors(err: unknown): boolean {
    const problems = err instanceof HttpErrorResponse ? ((err.error as ApiErrorBody | null)?.errors ?? []) : [];
    if (!problems.length) return false;
    const byPath = new Map<string, string[]>();
    let unplaced = false;
    for (const p of problems) {
      const path = formPathOf(p.field, (candidate) => !!this.form.get(candidate));
      if (!path) unplaced = true;
      else byPath.set(path, [...(byPath.get(path) ?? []), p.message]);
    }
    for (const [path, messages] of byPath) {
      const control = this.form.get(path);
      control?.setErrors({ ...(control.errors ?? {}), server: messages.join(' / ') });
      control?.markAsTouched();
    }
    return !unplaced;
  }
}

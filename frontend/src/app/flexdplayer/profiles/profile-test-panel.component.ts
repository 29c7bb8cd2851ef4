import { DatePipe } from '@angular/common';
import { Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import {
  bannerProblems,
  FlexdplayerApi,
  MAPPED_FIELDS,
  MappedField,
  MappingProfileBody,
  MappingTestResult,
} from '../flexdplayer.api';

/** Sidecars are small text files; a bigger pick is surely the wrong file. */
const MAX_SIDECAR_BYTES = 256 * 1024;

/** "Test against a sample": a file name and an optional sidecar, parsed by the rules in the editor (unsaved too). */
@Component({
  selector: 'app-flexd-profile-test-panel',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  templateUrl: './profile-test-panel.component.html',
  styles: `
    .result th,
    .result td {
      text-align: left;
      padding: 4px 12px 4px 0;
      vertical-align: top;
    }
    .mono {
      font-family: ui-monospace, 'Noto Sans Mono', monospace;
    }
    .file-row {
      display: flex;
      gap: 12px;
      align-items: center;
      margin-bottom: 12px;
    }
  `,
})
export class ProfileTestPanelComponent {
  private readonly api = inject(FlexdplayerApi);
  readonly profileId = input.required<string>();
  /** The editor's current rules; null tests the stored profile as it is. */
  readonly rules = input<(() => MappingProfileBody) | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    fileName: ['09012345678_0312345678_20261124093000_out.wav', [Validators.required, Validators.maxLength(255)]],
    sidecarName: ['', Validators.maxLength(255)],
    sidecarContent: [''],
  });
  protected readonly fields = MAPPED_FIELDS;
  protected readonly result = signal<MappingTestResult | null>(null);
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[] | null>(null);

  protected errorsOf(field: MappedField): string[] {
    return (this.result()?.errors ?? []).filter((e) => e.field === field).map((e) => e.message);
  }

  /** Problems not about one call field (the file name pattern, the sidecar as a whole). */
  protected otherErrors(): string[] {
    const own = MAPPED_FIELDS as readonly string[];
    return (this.result()?.errors ?? []).filter((e) => !own.includes(e.field)).map((e) => `${e.field}: ${e.message}`);
  }

  protected pickSidecar(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > MAX_SIDECAR_BYTES) {
      this.errors.set([`${file.name}: > 256 KiB`]);
      return;
    }
    void file.text().then((content) => this.form.patchValue({ sidecarName: file.name, sidecarContent: content }));
  }

  protected test(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const hasSidecar = v.sidecarContent.trim() !== '';
    const rules = this.rules();
    this.busy.set(true);
    this.errors.set(null);
    this.api
      .testProfile(this.profileId(), {
        fileName: v.fileName.trim(),
        ...(hasSidecar ? { sidecarContent: v.sidecarContent } : {}),
        ...(hasSidecar && v.sidecarName.trim() ? { sidecarName: v.sidecarName.trim() } : {}),
        ...(rules ? { profile: rules() } : {}),
      })
      .subscribe({
        next: (result) => {
          this.busy.set(false);
          this.result.set(result);
        },
        error: (err: unknown) => {
          this.busy.set(false);
          this.result.set(null);
          this.errors.set(bannerProblems(this.form, err) ?? [apiMessage(err) ?? '']);
        },
      });
  }
}

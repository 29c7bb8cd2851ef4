import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { EvidenceVerifyReport, verifyEvidence } from './storage.api';

/** Upload an export ZIP (one made here or received back) and see whether it is intact. */
@Component({
  selector: 'app-evidence-verify',
  imports: [MatButtonModule, MatProgressBarModule, TranslocoPipe, StatusBannerComponent],
  template: `
    <div class="verify-upload">
      <p id="evidence-verify-label">{{ 'admin.storage.verify.label' | transloco }}</p>
      <!-- The native picker's own wording follows the browser, not the app language: a button stands in. -->
      <input
        #fileInput
        class="cdk-visually-hidden"
        type="file"
        accept=".zip,application/zip"
        tabindex="-1"
        aria-hidden="true"
        (change)="picked($event)"
        data-testid="verify-file"
      />
      <div>
        <button
          mat-stroked-button
          type="button"
          [disabled]="busy()"
          (click)="fileInput.click()"
          aria-describedby="evidence-verify-label"
          data-testid="verify-choose"
        >
          {{ 'admin.storage.verify.choose' | transloco }}
        </button>
        @if (fileName(); as name) {
          <span class="muted file-name">{{ name }}</span>
        }
      </div>
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (error(); as e) {
        <app-status-banner kind="error" key="admin.storage.verify.failed" [text]="e.text" />
      }
      @if (report(); as r) {
        <div data-testid="verify-report" [attr.data-ok]="r.ok">
          @if (r.ok) {
            <app-status-banner
              kind="ok"
              key="admin.storage.verify.ok"
              [params]="{ files: r.checkedFiles, calls: r.manifest?.calls ?? 0 }"
            />
          } @else {
            <app-status-banner kind="error" key="admin.storage.verify.bad" [params]="{ n: r.problems.length }" />
            <ul>
              @for (p of r.problems; track $index) {
                <li>
                  <code>{{ p.file }}</code>: {{ p.problem }} {{ p.detail }}
                </li>
              }
            </ul>
          }
          <p class="muted">
            {{ 'admin.storage.verify.key' | transloco }} <code>{{ r.keyFingerprint }}</code>
          </p>
        </div>
      }
    </div>
  `,
  styles: `
    .verify-upload {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 760px;
    }
    code {
      word-break: break-all;
    }
    .file-name {
      margin-left: 12px;
    }
  `,
})
export class EvidenceVerifyComponent {
  private readonly http = inject(HttpClient);
  protected readonly busy = signal(false);
  protected readonly fileName = signal<string | null>(null);
  protected readonly report = signal<EvidenceVerifyReport | null>(null);
  protected readonly error = signal<{ text: string | null } | null>(null);

  protected picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.fileName.set(file.name);
    this.busy.set(true);
    this.error.set(null);
    this.report.set(null);
    verifyEvidence(this.http, file).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.report.set(r);
        // Let the same file be chosen again (e.g. after fixing it) and fire a new change.
        input.value = '';
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ text: apiMessage(err) });
        input.value = '';
      },
    });
  }
}

import { Component, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable } from 'rxjs';
import { apiMessage } from '../core/api-errors';
import { StatusBannerComponent } from '../shared/status-banner.component';

/** A value read from the API with its loading and error state; `load()` again is the retry. */
export class Loaded<T> {
  readonly value = signal<T | null>(null);
  readonly loading = signal(false);
  /** Set when the last load failed: the server's message, or null when it gave none. */
  readonly failed = signal<{ text: string | null } | null>(null);

  constructor(private readonly source: () => Observable<T>) {}

  load(): void {
    this.loading.set(true);
    this.failed.set(null);
    this.source().subscribe({
      next: (v) => {
        this.value.set(v);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.failed.set({ text: apiMessage(err) });
      },
    });
  }
}

/** The progress bar while a `Loaded` is loading, and its error with a retry button when it failed. */
@Component({
  selector: 'app-load-state',
  imports: [MatButtonModule, MatProgressBarModule, TranslocoPipe, StatusBannerComponent],
  template: `
    @let s = state();
    @if (s.loading()) {
      <mat-progress-bar mode="indeterminate" [attr.data-testid]="testId() + '-loading'" />
    }
    @if (s.failed(); as f) {
      <app-status-banner kind="error" key="vendor.common.loadFailed" [text]="f.text" />
      <button mat-stroked-button type="button" (click)="s.load()" [attr.data-testid]="testId() + '-retry'">
        {{ 'vendor.common.retry' | transloco }}
      </button>
    }
  `,
})
export class LoadStateComponent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shows any Loaded, whatever its value
  readonly state = input.required<Loaded<any>>();
  readonly testId = input('vendor');
}

/** Whole yen with thousands separators (¥ is added by the labels). */
export const yen = (n: number | null | undefined): string => (n ?? 0).toLocaleString('ja-JP');

/** Bytes in decimal gigabytes, as plans sell capacity (1 GB = 10^9 bytes). */
export const gb = (bytes: number): string =>
  `${(bytes / 1e9).toLocaleString('ja-JP', { maximumFractionDigits: 1 })} GB`;

import { DecimalPipe } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { forkJoin } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { formatBytes } from './bytes';
import { DeletionToolComponent } from './deletion-tool.component';
import { EvidenceExportComponent } from './evidence-export.component';
import { PolicyFormComponent } from './policy-form.component';
import { StorageApi, StoragePolicy, StorageUsage } from './storage.api';
import { UsageChartComponent } from './usage-chart.component';

/** Above this share of the capacity the bar turns to the warning colour. */
const WARN_PERCENT = 80;

/** Storage: usage and forecast, retention & capacity policy, deletion tool, evidence exports. */
@Component({
  selector: 'app-storage-page',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatProgressBarModule,
    TranslocoPipe,
    StatusBannerComponent,
    UsageChartComponent,
    PolicyFormComponent,
    DeletionToolComponent,
    EvidenceExportComponent,
  ],
  templateUrl: './storage.page.html',
  styleUrl: './storage.page.scss',
})
export class StoragePage {
  private readonly api = inject(StorageApi);
  private readonly auth = inject(AuthService);

  protected readonly usage = signal<StorageUsage | null>(null);
  protected readonly policy = signal<StoragePolicy | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<{ text: string | null } | null>(null);
  /** Auditors read; only tenant admins change the policy, delete or (here) see the deletion tool. */
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly singleMode = computed(() => this.auth.me()?.tenant.deploymentMode !== 'multi');
  protected readonly size = formatBytes;
  protected readonly barPercent = computed(() => Math.min(100, Math.max(0, this.usage()?.percent ?? 0)));
  protected readonly nearlyFull = computed(() => (this.usage()?.percent ?? 0) >= WARN_PERCENT);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    forkJoin({ usage: this.api.usage(), policy: this.api.policy() }).subscribe({
      next: ({ usage, policy }) => {
        this.loading.set(false);
        this.usage.set(usage);
        this.policy.set(policy);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  /** After a policy change or a deletion the figures (capacity, percent, forecast) move. */
  protected reloadUsage(): void {
    this.api.usage().subscribe({ next: (u) => this.usage.set(u), error: () => undefined });
  }

  protected policySaved(p: StoragePolicy): void {
    this.policy.set(p);
    this.reloadUsage();
  }
}

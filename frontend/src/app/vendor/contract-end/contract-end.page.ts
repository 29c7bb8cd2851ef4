import { Component, DestroyRef, effect, inject, signal, viewChild } from '@angular/core';
import { DatePipe } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { Loaded, LoadStateComponent } from '../load-state';
import { ContractEndPreview, VendorApi } from '../vendor.api';
import { EquipmentReturnsComponent } from './equipment-returns.component';

/** The shredder's steps in order (backend SHRED_STEPS): progress is how many are done. */
export const SHRED_STEPS = ['accounts', 'connectors', 'objects', 'files', 'rows', 'key', 'certificate'];
/** While a contract end runs, its progress is read again this often. */
const POLL_MS = 3000;

/**
 * Contract end (Art. 12.4): tenants whose service ended and how far their data deletion got, what
 * would be deleted, running it after a confirmation, and the signed deletion certificate.
 */
@Component({
  selector: 'app-vendor-contract-end-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatTableModule,
    TranslocoPipe,
    LoadStateComponent,
    ResultBannerComponent,
    EquipmentReturnsComponent,
  ],
  templateUrl: './contract-end.page.html',
  styleUrl: '../vendor.scss',
  styles: `
    .steps {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .step {
      padding: 0 6px;
      border-radius: 8px;
      font-size: 0.8rem;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .step.done {
      background: var(--mat-sys-primary-container);
    }
    .preview-box {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 12px 16px;
      margin: 12px 0;
      max-width: 760px;
    }
  `,
})
export class VendorContractEndPage {
  private readonly api = inject(VendorApi);
  private readonly dialog = inject(MatDialog);
  protected readonly steps = SHRED_STEPS;
  protected readonly ends = new Loaded(() => this.api.contractEnds());
  protected readonly tenants = new Loaded(() => this.api.tenants());
  protected readonly columns = ['tenant', 'serviceEnd', 'progress', 'state', 'certificate'];
  protected readonly preview = signal<ContractEndPreview | null>(null);
  protected readonly result = signal<SaveResult | null>(null);
  protected readonly busy = signal(false);
  /** The tenant whose contract end was just started, until the list shows it. */
  private readonly started = signal<string | null>(null);
  private readonly equipment = viewChild.required(EquipmentReturnsComponent);

  constructor() {
    this.ends.load();
    this.tenants.load();
    const running = () => (this.ends.value() ?? []).filter((e) => !e.finishedAt && !e.lastError).length;
    const timer = setInterval(() => {
      // A run just started is listed once its job has begun: keep reading until it shows up.
      const started = this.started();
      if (started && (this.ends.value() ?? []).some((e) => e.tenantId === started)) this.started.set(null);
      if (running() || this.started()) this.ends.load();
    }, POLL_MS);
    // A contract end records the rental equipment to return: read that list again once a run is over
    // (started and listed, nothing left running).
    let wasActive = false;
    effect(() => {
      const active = running() > 0 || this.started() !== null;
      if (wasActive && !active) this.equipment().items.load();
      wasActive = active;
    });
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected objectCount(p: ContractEndPreview): number {
    return Object.values(p.wouldDelete.objects).reduce((s, o) => s + o.count, 0);
  }
  protected rowCount(p: ContractEndPreview): number {
    return Object.values(p.wouldDelete.rows).reduce((s, n) => s + n, 0);
  }
  protected tables(p: ContractEndPreview): { table: string; count: number }[] {
    return Object.entries(p.wouldDelete.rows)
      .filter(([, n]) => n > 0)
      .map(([table, count]) => ({ table, count }));
  }

  protected showPreview(tenantId: string): void {
    this.result.set(null);
    this.preview.set(null);
    this.api.contractEndPreview(tenantId).subscribe({
      next: (p) => this.preview.set(p),
      error: (err: unknown) => this.result.set({ ok: false, text: apiMessage(err) }),
    });
  }

  protected run(p: ContractEndPreview): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'vendor.contractEnd.confirmTitle',
        messageKey: 'vendor.contractEnd.confirmText',
        params: { tenant: p.tenant.name, objects: this.objectCount(p), rows: this.rowCount(p) },
        confirmKey: 'vendor.contractEnd.run',
        danger: true,
      },
      () => {
        this.busy.set(true);
        return this.api.runContractEnd(p.tenant.id);
      },
    ).subscribe({
      next: () => {
        this.busy.set(false);
        this.started.set(p.tenant.id);
        this.preview.set(null);
        this.result.set({ ok: true, text: null });
        this.ends.load();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }

  protected certificateUrl(id: string): string {
    return `/api/v1/vendor/deletion-certificates/${id}`;
  }
}

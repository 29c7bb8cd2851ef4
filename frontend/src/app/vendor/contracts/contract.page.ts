import { HttpErrorResponse } from '@angular/common/http';
import { Component, computed, inject, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Loaded, LoadStateComponent, yen } from '../load-state';
import { CancellationPreview, PlanChangeResult, tokyoToday, VendorApi } from '../vendor.api';

/** The engine's refusal of a downgrade (Art. 13.8): what is stored and what must be deleted first. */
interface CapacityRefusal {
  message: string;
  usedBytes: number;
  bytesToDelete: number;
}

/**
 * One contract: the dates the billing engine decides, the opening test entered by hand, plan changes
 * (a downgrade refused while the recordings exceed the new capacity) and cancellation (preview, confirm).
 */
@Component({
  selector: 'app-vendor-contract-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    LoadStateComponent,
    ResultBannerComponent,
    StatusBannerComponent,
  ],
  templateUrl: './contract.page.html',
  styleUrl: '../vendor.scss',
  styles: `
    .dates {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 12px 24px;
      margin: 8px 0 16px;
    }
    .dates div {
      display: flex;
      flex-direction: column;
    }
    .dates .label {
      color: var(--mat-sys-on-surface-variant);
      font-size: 0.85rem;
    }
    .dates .value {
      font-size: 1.1rem;
      font-weight: 500;
    }
  `,
})
export class VendorContractPage {
  private readonly api = inject(VendorApi);
  private readonly dialog = inject(MatDialog);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly contract = new Loaded(() => this.api.contract(this.id));
  protected readonly plans = new Loaded(() => this.api.plans());
  protected readonly yen = yen;
  protected readonly bytes = (n: number) => n.toLocaleString('ja-JP');
  protected readonly offered = computed(() => {
    const c = this.contract.value();
    return (this.plans.value() ?? []).filter((p) => c && p.active && p.products.includes(c.product));
  });

  protected readonly openingForm = this.fb.group({ openingTestOn: ['', Validators.required] });
  protected readonly openingResult = signal<SaveResult | null>(null);

  protected readonly planForm = this.fb.group({
    planId: ['', Validators.required],
    effectiveOn: ['', Validators.required],
  });
  protected readonly planResult = signal<SaveResult | null>(null);
  private readonly planFormDirective = viewChild.required('planFormDirective', { read: FormGroupDirective });
  protected readonly planChanged = signal<PlanChangeResult | null>(null);
  protected readonly capacityRefusal = signal<CapacityRefusal | null>(null);

  protected readonly cancelForm = this.fb.group({ requestedOn: [tokyoToday(), Validators.required] });
  protected readonly cancelPreview = signal<CancellationPreview | null>(null);
  protected readonly cancelResult = signal<SaveResult | null>(null);
  protected readonly cancelled = signal<CancellationPreview | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    this.contract.load();
    this.plans.load();
  }

  protected saveOpeningTest(): void {
    if (this.openingForm.invalid) return this.openingForm.markAllAsTouched();
    this.busy.set(true);
    this.openingResult.set(null);
    this.api.setOpeningTest(this.id, this.openingForm.getRawValue().openingTestOn).subscribe({
      next: (c) => {
        this.busy.set(false);
        this.contract.value.set(c);
        this.openingResult.set({ ok: true, text: null });
      },
      error: (err: unknown) => this.failed(err, this.openingForm, this.openingResult),
    });
  }

  protected changePlan(): void {
    if (this.planForm.invalid) return this.planForm.markAllAsTouched();
    const v = this.planForm.getRawValue();
    this.busy.set(true);
    this.planResult.set(null);
    this.planChanged.set(null);
    this.capacityRefusal.set(null);
    this.api.changePlan(this.id, v.planId, v.effectiveOn).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.planChanged.set(r);
        this.contract.value.set(r.contract);
        this.planFormDirective().resetForm();
      },
      error: (err: unknown) => {
        const body = err instanceof HttpErrorResponse ? (err.error as Partial<CapacityRefusal>) : null;
        if (body && typeof body.bytesToDelete === 'number') {
          this.busy.set(false);
          this.capacityRefusal.set({
            message: apiMessage(err) ?? '',
            usedBytes: body.usedBytes ?? 0,
            bytesToDelete: body.bytesToDelete,
          });
          return;
        }
        this.failed(err, this.planForm, this.planResult);
      },
    });
  }

  protected previewCancellation(): void {
    if (this.cancelForm.invalid) return this.cancelForm.markAllAsTouched();
    this.busy.set(true);
    this.cancelResult.set(null);
    this.cancelPreview.set(null);
    this.api.previewCancellation(this.id, this.cancelForm.getRawValue().requestedOn).subscribe({
      next: (p) => {
        this.busy.set(false);
        this.cancelPreview.set(p);
      },
      error: (err: unknown) => this.failed(err, this.cancelForm, this.cancelResult),
    });
  }

  protected confirmCancellation(p: CancellationPreview): void {
    const params = {
      end: p.serviceEndDate,
      adjustment: yen(p.minimumTermAdjustment?.amount ?? 0),
    };
    afterConfirm(
      this.dialog,
      {
        titleKey: 'vendor.contract.cancel.confirmTitle',
        messageKey: 'vendor.contract.cancel.confirmText',
        params,
        danger: true,
      },
      () => {
        this.busy.set(true);
        return this.api.cancel(this.id, p.requestedOn);
      },
    ).subscribe({
      next: (done) => {
        this.busy.set(false);
        this.cancelPreview.set(null);
        this.cancelled.set(done);
        this.contract.value.set(done.contract);
      },
      error: (err: unknown) => this.failed(err, this.cancelForm, this.cancelResult),
    });
  }

  private failed(
    err: unknown,
    form: Parameters<typeof applyServerErrors>[0],
    result: ReturnType<typeof signal<SaveResult | null>>,
  ): void {
    this.busy.set(false);
    if (!applyServerErrors(form, err)) result.set({ ok: false, text: apiMessage(err) });
  }
}

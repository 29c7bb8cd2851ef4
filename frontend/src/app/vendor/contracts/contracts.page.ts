import { Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { of } from 'rxjs';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { Loaded, LoadStateComponent } from '../load-state';
import { BILLING_PRODUCTS, BillingCycle, BillingProduct, ContractInput, tokyoToday, VendorApi } from '../vendor.api';

/** A tenant's contracts, and a new contract (product, plan, cycle, rental equipment). */
@Component({
  selector: 'app-vendor-contracts-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    TranslocoPipe,
    FieldErrorComponent,
    LoadStateComponent,
    ResultBannerComponent,
  ],
  templateUrl: './contracts.page.html',
  styleUrl: '../vendor.scss',
})
export class VendorContractsPage {
  private readonly api = inject(VendorApi);
  private readonly router = inject(Router);
  protected readonly tenantId = signal<string>(inject(ActivatedRoute).snapshot.queryParamMap.get('tenantId') ?? '');
  protected readonly tenants = new Loaded(() => this.api.tenants());
  protected readonly plans = new Loaded(() => this.api.plans());
  protected readonly contracts = new Loaded(() => (this.tenantId() ? this.api.contracts(this.tenantId()) : of([])));
  protected readonly columns = ['product', 'plan', 'cycle', 'serviceStart', 'serviceEnd', 'open'];
  protected readonly productOptions = BILLING_PRODUCTS;
  protected readonly busy = signal(false);
  protected readonly result = signal<SaveResult | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    product: ['FlexLog' as BillingProduct, Validators.required],
    planId: ['', Validators.required],
    billingCycle: ['monthly' as BillingCycle, Validators.required],
    equipment: [''],
    appliedOn: [tokyoToday(), Validators.required],
    openingTestOn: [''],
  });
  private readonly product = signal<BillingProduct>('FlexLog');
  /** Active plans offered for the chosen product. */
  protected readonly offered = computed(() =>
    (this.plans.value() ?? []).filter((p) => p.active && p.products.includes(this.product())),
  );

  constructor() {
    this.tenants.load();
    this.plans.load();
    this.contracts.load();
    this.form.controls.product.valueChanges.subscribe((p) => this.product.set(p));
  }

  protected chooseTenant(id: string): void {
    this.tenantId.set(id);
    void this.router.navigate([], { queryParams: { tenantId: id }, replaceUrl: true });
    this.contracts.load();
  }

  protected create(): void {
    if (this.form.invalid || !this.tenantId()) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const body: ContractInput = {
      tenantId: this.tenantId(),
      product: v.product,
      planId: v.planId,
      billingCycle: v.billingCycle,
      equipment: v.equipment
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      appliedOn: v.appliedOn,
      ...(v.openingTestOn ? { openingTestOn: v.openingTestOn } : {}),
    };
    this.busy.set(true);
    this.result.set(null);
    this.api.createContract(body).subscribe({
      next: (c) => {
        this.busy.set(false);
        void this.router.navigate(['/vendor/contracts', c.id]);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

import { Component, inject, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { Loaded, LoadStateComponent, yen } from '../load-state';
import { BILLING_PRODUCTS, BillingProduct, Plan, VendorApi } from '../vendor.api';

/** The plan catalogue: what contracts are sold at. Editing never reprices a running contract. */
@Component({
  selector: 'app-vendor-plans-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    TranslocoPipe,
    FieldErrorComponent,
    LoadStateComponent,
    ResultBannerComponent,
  ],
  templateUrl: './plans.page.html',
  styleUrl: '../vendor.scss',
})
export class VendorPlansPage {
  private readonly api = inject(VendorApi);
  protected readonly plans = new Loaded(() => this.api.plans());
  protected readonly columns = ['code', 'name', 'products', 'capacityGb', 'monthlyFee', 'initialFee', 'active', 'edit'];
  protected readonly productOptions = BILLING_PRODUCTS;
  protected readonly yen = yen;
  /** The plan being edited, or null when the form creates a new one. */
  protected readonly editing = signal<Plan | null>(null);
  // Resetting through the directive also clears its submitted state, so the emptied fields show no errors.
  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly busy = signal(false);
  protected readonly result = signal<SaveResult | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, Validators.pattern(/^[A-Za-z0-9_-]{1,20}$/)]],
    nameJa: ['', Validators.required],
    nameEn: ['', Validators.required],
    products: [['FlexLog'] as BillingProduct[], Validators.required],
    capacityGb: [100, [Validators.required, Validators.min(1)]],
    monthlyFee: [10000, [Validators.required, Validators.min(0)]],
    initialFee: [0, [Validators.required, Validators.min(0)]],
    active: [true],
  });

  constructor() {
    this.plans.load();
  }

  protected edit(plan: Plan): void {
    this.editing.set(plan);
    this.result.set(null);
    const { code, nameJa, nameEn, products, capacityGb, monthlyFee, initialFee, active } = plan;
    this.form.setValue({ code, nameJa, nameEn, products, capacityGb, monthlyFee, initialFee, active });
  }

  protected newPlan(): void {
    this.editing.set(null);
    this.formDirective().resetForm();
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const body = { ...v, code: v.code.trim(), nameJa: v.nameJa.trim(), nameEn: v.nameEn.trim() };
    const editing = this.editing();
    this.busy.set(true);
    this.result.set(null);
    (editing ? this.api.updatePlan(editing.id, body) : this.api.createPlan(body)).subscribe({
      next: () => {
        this.busy.set(false);
        this.result.set({ ok: true, text: null });
        this.newPlan();
        this.plans.load();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { ApiErrorBody } from '../../core/api.types';
import { apiMessage } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Loaded, yen } from '../load-state';
import {
  BILLING_PRODUCTS,
  BillingCycle,
  BillingProduct,
  Plan,
  SimulationResult,
  tokyoToday,
  VendorApi,
} from '../vendor.api';
import { QuoteInvoicesComponent } from './quote-invoices.component';

type QuoteForm = VendorQuotePage['form'];
type QuoteControl = keyof QuoteForm['controls'];

const enginePlan = (p: Plan) => ({ code: p.code, monthlyFee: p.monthlyFee, initialFee: p.initialFee });

/**
 * A quote: a billing scenario built from the catalogue (plan, cycle, opening test, and optionally a
 * plan change, a cancellation, a late payment and an equipment return), run through the same
 * simulator as the CLI (POST /api/v1/vendor/billing/simulate), showing the invoices month by month.
 */
@Component({
  selector: 'app-vendor-quote-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    QuoteInvoicesComponent,
  ],
  templateUrl: './quote.page.html',
})
export class VendorQuotePage {
  private readonly api = inject(VendorApi);
  protected readonly plans = new Loaded(() => this.api.plans());
  protected readonly productOptions = BILLING_PRODUCTS;
  protected readonly yen = yen;
  protected readonly busy = signal(false);
  protected readonly result = signal<SimulationResult | null>(null);
  /** Problems the simulator named that belong to no field of this form. */
  protected readonly problems = signal<string[]>([]);
  protected readonly form = inject(NonNullableFormBuilder).group({
    product: ['FlexLog' as BillingProduct, Validators.required],
    planId: ['', Validators.required],
    billingCycle: ['monthly' as BillingCycle, Validators.required],
    openingTestCompletedOn: [tokyoToday(), Validators.required],
    until: [''],
    changePlanId: [''],
    changeOn: [''],
    cancelOn: [''],
    latePaymentInvoice: [''],
    latePaymentOn: [''],
    equipmentReturnedOn: [''],
  });

  constructor() {
    this.plans.load();
  }

  protected offered(): Plan[] {
    const product = this.form.controls.product.value;
    return (this.plans.value() ?? []).filter((p) => p.active && p.products.includes(product));
  }

  protected simulate(): void {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const { scenario, eventControls } = this.scenario();
    this.busy.set(true);
    this.problems.set([]);
    this.result.set(null);
    this.api.simulate(scenario).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.showErrors(err, eventControls);
      },
    });
  }

  /** The scenario, and which form control each event came from (the simulator names `events[i]`). */
  private scenario() {
    const v = this.form.getRawValue();
    const plan = (id: string) => (this.plans.value() ?? []).find((p) => p.id === id);
    const events: Record<string, unknown>[] = [];
    const eventControls: QuoteControl[] = [];
    const add = (control: QuoteControl, event: Record<string, unknown>) => {
      events.push(event);
      eventControls.push(control);
    };
    const newPlan = plan(v.changePlanId);
    if (newPlan && v.changeOn)
      add('changeOn', { type: 'planChange', effectiveOn: v.changeOn, plan: enginePlan(newPlan) });
    if (v.cancelOn) add('cancelOn', { type: 'cancellationRequested', on: v.cancelOn });
    if (v.latePaymentInvoice && v.latePaymentOn)
      add('latePaymentOn', { type: 'paymentReceived', invoice: v.latePaymentInvoice, on: v.latePaymentOn });
    if (v.equipmentReturnedOn) add('equipmentReturnedOn', { type: 'equipmentReturned', on: v.equipmentReturnedOn });
    const chosen = plan(v.planId);
    const scenario = {
      product: v.product,
      plan: chosen ? enginePlan(chosen) : undefined,
      billingCycle: v.billingCycle,
      openingTestCompletedOn: v.openingTestCompletedOn,
      events,
      ...(v.until ? { until: v.until } : {}),
    };
    return { scenario, eventControls };
  }

  /** Puts each of the simulator's field errors on the control it came from; the rest go in a list. */
  private showErrors(err: unknown, eventControls: QuoteControl[]): void {
    const body = err instanceof HttpErrorResponse ? (err.error as ApiErrorBody | null) : null;
    const unplaced: string[] = [];
    for (const { field, message } of body?.errors ?? []) {
      const event = /^events\[(\d+)\]/.exec(field);
      const name = (event ? eventControls[Number(event[1])] : field.split('.')[0]) as QuoteControl;
      const control = name === ('plan' as QuoteControl) ? this.form.controls.planId : this.form.controls[name];
      if (control) {
        control.setErrors({ server: message });
        control.markAsTouched();
      } else unplaced.push(`${field}: ${message}`);
    }
    if (!body?.errors?.length) unplaced.push(apiMessage(err) ?? '');
    this.problems.set(unplaced);
  }
}

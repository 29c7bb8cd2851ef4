import { Component, inject, output, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { yen } from '../load-state';
import { ImportReport, tokyoToday, VendorApi } from '../vendor.api';

/** Payments received: one entered by hand, or a bank CSV with a report line by line. */
@Component({
  selector: 'app-vendor-payments',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    TranslocoPipe,
    FieldErrorComponent,
    ResultBannerComponent,
  ],
  template: `
    <section class="section">
      <h2 class="section-title">{{ 'vendor.payments.title' | transloco }}</h2>
      <form [formGroup]="form" (ngSubmit)="record()" class="inline-form" data-testid="payment-form">
        <mat-form-field>
          <mat-label>{{ 'vendor.invoices.number' | transloco }}</mat-label>
          <input matInput formControlName="invoiceNumber" placeholder="INV-2026-000001" data-testid="payment-invoice" />
          <mat-error><app-field-error [control]="form.controls.invoiceNumber" /></mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'vendor.payments.paidOn' | transloco }}</mat-label>
          <input matInput type="date" formControlName="paidOn" data-testid="payment-date" />
          <mat-error><app-field-error [control]="form.controls.paidOn" /></mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'vendor.payments.amount' | transloco }}</mat-label>
          <input matInput type="number" min="1" formControlName="amount" data-testid="payment-amount" />
          <span matTextSuffix>{{ 'vendor.common.yenUnit' | transloco }}</span>
          <mat-error><app-field-error [control]="form.controls.amount" /></mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'vendor.payments.payer' | transloco }}</mat-label>
          <input matInput formControlName="payerName" data-testid="payment-payer" />
          <mat-error><app-field-error [control]="form.controls.payerName" /></mat-error>
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="payment-save">
          {{ 'vendor.payments.record' | transloco }}
        </button>
      </form>
      <app-result-banner [result]="result()" okKey="vendor.payments.recorded" />

      <h3 class="section-title">{{ 'vendor.payments.importTitle' | transloco }}</h3>
      <p class="muted">{{ 'vendor.payments.importIntro' | transloco }}</p>
      <input type="file" accept=".csv,text/csv" (change)="readFile($event)" data-testid="payment-csv-file" />
      <mat-form-field class="csv-box">
        <mat-label>CSV</mat-label>
        <textarea
          matInput
          rows="5"
          [value]="csv()"
          (input)="csv.set($any($event.target).value)"
          data-testid="payment-csv"
        ></textarea>
      </mat-form-field>
      <div>
        <button
          mat-stroked-button
          type="button"
          (click)="importCsv()"
          [disabled]="busy() || !csv()"
          data-testid="payment-import"
        >
          {{ 'vendor.payments.import' | transloco }}
        </button>
      </div>
      <app-result-banner [result]="importResult()" okKey="vendor.payments.recorded" />
      @if (report(); as r) {
        <p data-testid="import-summary">
          {{ 'vendor.payments.importDone' | transloco: { recorded: r.recorded, refused: r.refused } }}
        </p>
        <ul data-testid="import-rows">
          @for (row of r.rows; track row.line) {
            <li [class.danger-text]="row.status === 'refused'">
              @if (row.status === 'recorded') {
                {{
                  'vendor.payments.rowRecorded'
                    | transloco: { line: row.line, number: row.invoiceNumber, outstanding: yen(row.outstanding) }
                }}
              } @else {
                {{ 'vendor.payments.rowRefused' | transloco: { line: row.line, field: row.field } }} {{ row.message }}
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: '.csv-box { width: 100%; max-width: 760px; margin-top: 8px; }',
})
export class PaymentsComponent {
  private readonly api = inject(VendorApi);
  readonly recorded = output<void>();
  // Resetting through the directive also clears its submitted state, so the emptied fields show no errors.
  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly yen = yen;
  protected readonly busy = signal(false);
  protected readonly result = signal<SaveResult | null>(null);
  protected readonly importResult = signal<SaveResult | null>(null);
  protected readonly csv = signal('');
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    invoiceNumber: ['', Validators.required],
    paidOn: [tokyoToday(), Validators.required],
    amount: [0, [Validators.required, Validators.min(1)]],
    payerName: ['', Validators.required],
  });

  protected record(): void {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const v = this.form.getRawValue();
    this.busy.set(true);
    this.result.set(null);
    this.api.recordPayment({ ...v, invoiceNumber: v.invoiceNumber.trim(), payerName: v.payerName.trim() }).subscribe({
      next: () => {
        this.busy.set(false);
        this.result.set({ ok: true, text: null });
        this.formDirective().resetForm();
        this.recorded.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }

  protected readFile(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void file.text().then((t) => this.csv.set(t));
  }

  protected importCsv(): void {
    this.busy.set(true);
    this.report.set(null);
    this.importResult.set(null);
    this.api.importPayments(this.csv()).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.report.set(r);
        if (r.recorded) this.recorded.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.importResult.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Loaded, LoadStateComponent, yen } from '../load-state';
import { Invoice, MonthRun, saveBlob, tokyoToday, VendorApi } from '../vendor.api';
import { PaymentsComponent } from './payments.component';

/** The month before today's (Japan): the usual month to invoice. */
const lastMonth = (): string => {
  const [y, m] = tokyoToday().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** Invoices: the issuer printed on them, issuing a month, the list with downloads, and payments. */
@Component({
  selector: 'app-vendor-invoices-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    TranslocoPipe,
    FieldErrorComponent,
    LoadStateComponent,
    ResultBannerComponent,
    StatusBannerComponent,
    PaymentsComponent,
  ],
  templateUrl: './invoices.page.html',
  styleUrl: '../vendor.scss',
})
export class VendorInvoicesPage {
  private readonly api = inject(VendorApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly yen = yen;
  protected readonly today = tokyoToday();
  protected readonly filterMonth = signal('');
  protected readonly invoices = new Loaded(() => this.api.invoices({ month: this.filterMonth() }));
  protected readonly columns = ['number', 'customer', 'month', 'issueDate', 'dueDate', 'total', 'status', 'files'];

  protected readonly issuerForm = this.fb.group({
    name: ['', Validators.required],
    registrationNumber: ['', [Validators.required, Validators.pattern(/^T\d{13}$/)]],
    address: [''],
    phone: [''],
    bankAccount: [''],
  });
  protected readonly issuerSet = signal(false);
  protected readonly issuerResult = signal<SaveResult | null>(null);

  protected readonly runForm = this.fb.group({ month: [lastMonth(), Validators.required], issueDate: [''] });
  protected readonly run = signal<MonthRun | null>(null);
  protected readonly runResult = signal<SaveResult | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    this.invoices.load();
    this.api.issuer().subscribe({
      next: (i) => {
        this.issuerSet.set(!!i.name);
        this.issuerForm.patchValue(i);
      },
    });
  }

  protected status(i: Invoice): 'paid' | 'overdue' | 'unpaid' {
    if (i.paidOn) return 'paid';
    return i.dueDate < this.today ? 'overdue' : 'unpaid';
  }

  protected filter(month: string): void {
    this.filterMonth.set(month);
    this.invoices.load();
  }

  protected saveIssuer(): void {
    if (this.issuerForm.invalid) return this.issuerForm.markAllAsTouched();
    const v = this.issuerForm.getRawValue();
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim() !== '')) as typeof v;
    this.issuerResult.set(null);
    this.api.setIssuer(body).subscribe({
      next: () => {
        this.issuerSet.set(true);
        this.issuerResult.set({ ok: true, text: null });
      },
      error: (err: unknown) => {
        if (!applyServerErrors(this.issuerForm, err)) this.issuerResult.set({ ok: false, text: apiMessage(err) });
      },
    });
  }

  protected runMonth(): void {
    if (this.runForm.invalid) return this.runForm.markAllAsTouched();
    const v = this.runForm.getRawValue();
    this.busy.set(true);
    this.run.set(null);
    this.runResult.set(null);
    this.api.runMonth(v.month, v.issueDate || undefined).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.run.set(r);
        this.filter(r.month);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.runForm, err)) this.runResult.set({ ok: false, text: apiMessage(err) });
      },
    });
  }

  protected download(i: Invoice, kind: 'pdf' | 'csv'): void {
    this.api.invoiceFile(i.id, kind).subscribe({
      next: (blob) => saveBlob(blob, `${i.number}.${kind}`),
      error: (err: unknown) => this.runResult.set({ ok: false, text: apiMessage(err) }),
    });
  }
}

import { Component, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { yen } from '../load-state';
import { SimulationResult } from '../vendor.api';

/** The simulator's answer: the contract's dates, then each invoice with its lines and totals. */
@Component({
  selector: 'app-quote-invoices',
  imports: [TranslocoPipe],
  template: `
    @let r = result();
    <div class="dates" data-testid="quote-dates">
      <span
        >{{ 'vendor.contract.serviceStart' | transloco }}: <b>{{ r.serviceStartDate }}</b></span
      >
      <span
        >{{ 'vendor.contract.billingStart' | transloco }}: <b>{{ r.billingStartDate }}</b></span
      >
      <span
        >{{ 'vendor.contract.minimumTermEnd' | transloco }}: <b>{{ r.minimumTermEndsOn }}</b></span
      >
      <span
        >{{ 'vendor.contract.serviceEnd' | transloco }}: <b>{{ r.serviceEndDate ?? '—' }}</b></span
      >
      @if (r.equipmentReturnDeadline) {
        <span
          >{{ 'vendor.contract.returnDeadline' | transloco }}: <b>{{ r.equipmentReturnDeadline }}</b></span
        >
      }
    </div>
    <p class="total">
      {{ 'vendor.quote.grandTotal' | transloco: { count: r.invoices.length, total: yen(grandTotal()) } }}
    </p>
    <div class="table-wrap">
      <table class="quote-table" data-testid="quote-invoices">
        <thead>
          <tr>
            <th>{{ 'vendor.invoices.month' | transloco }}</th>
            <th>{{ 'vendor.invoices.dueDate' | transloco }}</th>
            <th>{{ 'vendor.quote.line' | transloco }}</th>
            <th class="num">{{ 'vendor.quote.amount' | transloco }}</th>
          </tr>
        </thead>
        <tbody>
          @for (inv of r.invoices; track inv.id) {
            @for (line of inv.lines; track $index; let first = $first) {
              <tr>
                <td>{{ first ? inv.id : '' }}</td>
                <td>{{ first ? inv.dueDate : '' }}</td>
                <td>
                  {{ 'vendor.lineKind.' + line.kind | transloco }}
                  @if (line.from) {
                    <span class="muted small">{{ line.from }} – {{ line.to }}</span>
                  }
                  @if (line.invoice) {
                    <span class="muted small">{{
                      'vendor.quote.lateFor' | transloco: { invoice: line.invoice, days: line.daysLate }
                    }}</span>
                  }
                </td>
                <td class="num">¥{{ yen(line.amount) }}</td>
              </tr>
            }
            <tr class="sum">
              <td></td>
              <td></td>
              <td>{{ 'vendor.quote.taxAndTotal' | transloco: { subtotal: yen(inv.subtotal), tax: yen(inv.tax) } }}</td>
              <td class="num">
                <b>¥{{ yen(inv.total) }}</b>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .dates {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 24px;
      margin: 8px 0;
    }
    .quote-table {
      border-collapse: collapse;
      min-width: 640px;
    }
    .quote-table th,
    .quote-table td {
      padding: 4px 12px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      text-align: left;
    }
    .quote-table .num {
      text-align: right;
      white-space: nowrap;
    }
    .quote-table .sum td {
      border-bottom: 2px solid var(--mat-sys-outline);
    }
    .total {
      font-size: 1.1rem;
      font-weight: 500;
    }
  `,
})
export class QuoteInvoicesComponent {
  readonly result = input.required<SimulationResult>();
  protected readonly yen = yen;
  protected grandTotal(): number {
    return this.result().invoices.reduce((s, i) => s + i.total, 0);
  }
}

import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { Loaded, LoadStateComponent, yen } from '../load-state';
import { tokyoToday, VendorApi } from '../vendor.api';

/** What customers owe on a day: unpaid and overdue invoices, days late, delay damages, totals. */
@Component({
  selector: 'app-vendor-receivables-page',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatTableModule, TranslocoPipe, LoadStateComponent],
  template: `
    <h1 class="page-title">{{ 'vendor.receivables.title' | transloco }}</h1>
    <div class="filter-bar">
      <mat-form-field>
        <mat-label>{{ 'vendor.receivables.asOf' | transloco }}</mat-label>
        <input
          matInput
          type="date"
          [value]="asOf()"
          (change)="setAsOf($any($event.target).value)"
          data-testid="receivables-as-of"
        />
      </mat-form-field>
    </div>
    <app-load-state [state]="data" testId="receivables" />
    @if (data.value(); as d) {
      <div class="figures" data-testid="receivables-totals">
        <div>
          <span class="label">{{ 'vendor.receivables.count' | transloco }}</span><span class="value">{{
            d.totals.count
          }}</span>
        </div>
        <div>
          <span class="label">{{ 'vendor.receivables.outstanding' | transloco }}</span><span class="value"
            >¥{{ yen(d.totals.outstanding) }}</span
          >
        </div>
        <div>
          <span class="label">{{ 'vendor.receivables.overdueCount' | transloco }}</span><span
            class="value danger-text"
            >{{ d.totals.overdueCount }}</span
          >
        </div>
        <div>
          <span class="label">{{ 'vendor.receivables.overdueOutstanding' | transloco }}</span><span
            class="value danger-text"
            >¥{{ yen(d.totals.overdueOutstanding) }}</span
          >
        </div>
      </div>
      @if (d.receivables.length) {
        <div class="table-wrap">
          <table mat-table [dataSource]="d.receivables" data-testid="receivables-table">
            <ng-container matColumnDef="number">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.invoices.number' | transloco }}</th>
              <td mat-cell *matCellDef="let r">{{ r.number }}</td>
            </ng-container>
            <ng-container matColumnDef="customer">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.invoices.customer' | transloco }}</th>
              <td mat-cell *matCellDef="let r">{{ r.customerName }}</td>
            </ng-container>
            <ng-container matColumnDef="month">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.invoices.month' | transloco }}</th>
              <td mat-cell *matCellDef="let r">{{ r.month }}</td>
            </ng-container>
            <ng-container matColumnDef="dueDate">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.invoices.dueDate' | transloco }}</th>
              <td mat-cell *matCellDef="let r">{{ r.dueDate }}</td>
            </ng-container>
            <ng-container matColumnDef="total">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.invoices.total' | transloco }}</th>
              <td mat-cell *matCellDef="let r">¥{{ yen(r.total) }}</td>
            </ng-container>
            <ng-container matColumnDef="paid">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.receivables.paid' | transloco }}</th>
              <td mat-cell *matCellDef="let r">¥{{ yen(r.paid) }}</td>
            </ng-container>
            <ng-container matColumnDef="outstanding">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.receivables.outstanding' | transloco }}</th>
              <td mat-cell *matCellDef="let r">¥{{ yen(r.outstanding) }}</td>
            </ng-container>
            <ng-container matColumnDef="daysLate">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.receivables.daysLate' | transloco }}</th>
              <td mat-cell *matCellDef="let r">
                <span class="status-pill" [class.danger-text]="r.overdue">
                  {{
                    r.overdue
                      ? ('vendor.receivables.late' | transloco: { days: r.daysLate })
                      : ('vendor.invoices.state.unpaid' | transloco)
                  }}
                </span>
              </td>
            </ng-container>
            <ng-container matColumnDef="damages">
              <th mat-header-cell *matHeaderCellDef>{{ 'vendor.receivables.damages' | transloco }}</th>
              <td mat-cell *matCellDef="let r">¥{{ yen(r.damagesIfPaidToday) }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns" [class.overdue-row]="row.overdue"></tr>
          </table>
        </div>
      } @else {
        <p class="muted" data-testid="receivables-empty">{{ 'vendor.receivables.empty' | transloco }}</p>
      }
    }
  `,
  styleUrl: '../vendor.scss',
})
export class VendorReceivablesPage {
  private readonly api = inject(VendorApi);
  protected readonly yen = yen;
  protected readonly asOf = signal(tokyoToday());
  protected readonly data = new Loaded(() => this.api.receivables(this.asOf()));
  protected readonly columns = [
    'number',
    'customer',
    'month',
    'dueDate',
    'total',
    'paid',
    'outstanding',
    'daysLate',
    'damages',
  ];

  constructor() {
    this.data.load();
  }

  protected setAsOf(date: string): void {
    if (!date) return;
    this.asOf.set(date);
    this.data.load();
  }
}

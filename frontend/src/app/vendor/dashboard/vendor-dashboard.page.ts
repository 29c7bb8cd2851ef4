import { Component, computed, inject } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { ChartSeries, DashboardChartComponent } from '../../dashboard/dashboard-chart.component';
import { gb, Loaded, LoadStateComponent, yen } from '../load-state';
import { VendorApi, VendorDashboard } from '../vendor.api';

/** Contracts and tenants per product and plan ("FlexLog · S"), as horizontal bars. */
export function contractsChart(d: VendorDashboard): { labels: string[]; series: ChartSeries[] } {
  return {
    labels: d.byProductAndPlan.map((g) => `${g.product} · ${g.planCode}`),
    series: [
      { labelKey: 'vendor.dashboard.contracts', color: '#1565c0', data: d.byProductAndPlan.map((g) => g.contracts) },
      { labelKey: 'vendor.dashboard.tenants', color: '#90caf9', data: d.byProductAndPlan.map((g) => g.tenants) },
    ],
  };
}

/**
 * The vendor's overview: tenants by product and plan, monthly recurring revenue, stored bytes
 * against sold capacity, FlexLog sites offline, overdue invoices and the support access in force.
 */
@Component({
  selector: 'app-vendor-dashboard-page',
  imports: [DatePipe, MatTableModule, RouterLink, TranslocoPipe, DashboardChartComponent, LoadStateComponent],
  templateUrl: './vendor-dashboard.page.html',
  styleUrl: '../vendor.scss',
  styles: `
    .tiles {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
      gap: 12px;
      margin: 8px 0 16px;
    }
    .tile {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 10px 14px;
      display: flex;
      flex-direction: column;
    }
    .tile .label {
      color: var(--mat-sys-on-surface-variant);
      font-size: 0.85rem;
    }
    .tile .value {
      font-size: 1.4rem;
      font-weight: 500;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
      gap: 16px;
    }
  `,
})
export class VendorDashboardPage {
  private readonly api = inject(VendorApi);
  protected readonly data = new Loaded(() => this.api.dashboard());
  protected readonly grants = new Loaded(() => this.api.supportAccess());
  protected readonly yen = yen;
  protected readonly gb = gb;
  protected readonly gbAxis = (v: number) => gb(v);
  protected readonly tenantColumns = ['name', 'contracts', 'storage', 'sitesOffline', 'overdue'];
  protected readonly contracts = computed(() => {
    const d = this.data.value();
    return d ? contractsChart(d) : null;
  });
  protected readonly storageSeries = computed<ChartSeries[]>(() => {
    const tenants = this.data.value()?.tenants ?? [];
    return [
      { labelKey: 'vendor.dashboard.used', color: '#1565c0', data: tenants.map((t) => t.usedBytes) },
      { labelKey: 'vendor.dashboard.sold', color: '#b0bec5', data: tenants.map((t) => t.soldBytes) },
    ];
  });
  protected readonly tenantNames = computed(() => (this.data.value()?.tenants ?? []).map((t) => t.name));

  constructor() {
    this.data.load();
    this.grants.load();
  }

  /** Room for the legend and axis plus a bar pair per row. */
  protected chartHeight(rows: number): number {
    return 90 + 48 * Math.max(rows, 1);
  }

  protected runningPlans(t: VendorDashboard['tenants'][number]): string {
    return t.contracts
      .filter((c) => c.state !== 'ended')
      .map((c) => `${c.product} ${c.planCode}`)
      .join(', ');
  }
}

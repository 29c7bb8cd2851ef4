import { contractsChart } from './vendor-dashboard.page';
import type { VendorDashboard } from '../vendor.api';

describe('contractsChart', () => {
  it('has one bar per product and plan, with the contract and tenant counts as series', () => {
    const d = {
      byProductAndPlan: [
        { product: 'FlexDPlayer', planCode: 'M', contracts: 3, tenants: 2 },
        { product: 'FlexLog', planCode: 'S', contracts: 1, tenants: 1 },
      ],
    } as VendorDashboard;
    const chart = contractsChart(d);
    expect(chart.labels).toEqual(['FlexDPlayer · M', 'FlexLog · S']);
    expect(chart.series.map((s) => [s.labelKey, s.data])).toEqual([
      ['vendor.dashboard.contracts', [3, 1]],
      ['vendor.dashboard.tenants', [2, 1]],
    ]);
  });
});

import { VENDOR_NAV } from './nav';

describe('VENDOR_NAV', () => {
  it('names each entry from its route: key, path and test id', () => {
    const end = VENDOR_NAV.find((n) => n.path === 'vendor/contract-end');
    expect(end).toEqual({
      key: 'contractEnd',
      testId: 'nav-vendor-contract-end',
      path: 'vendor/contract-end',
      icon: 'delete',
      roles: ['vendorAdmin'],
    });
  });

  it('offers every screen to vendor admins and all but contract end to vendor support', () => {
    const forRole = (role: string) => VENDOR_NAV.filter((n) => n.roles.some((r) => r === role)).map((n) => n.key);
    expect(forRole('vendorAdmin')).toEqual([
      'dashboard',
      'plans',
      'contracts',
      'invoices',
      'receivables',
      'quote',
      'contractEnd',
    ]);
    expect(forRole('vendorSupport')).toEqual(['dashboard', 'plans', 'contracts', 'invoices', 'receivables', 'quote']);
    expect(forRole('tenantAdmin')).toEqual([]);
  });
});

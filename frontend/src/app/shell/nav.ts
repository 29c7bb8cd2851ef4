import { Product, Role } from '../core/api.types';

export interface ProductNav {
  product: Product;
  path: string;
  icon: string;
}

// Route paths mirror the backend product folders (flexlog/ flexdplayer/ popup/ vnote/).
export const PRODUCT_NAV: ProductNav[] = [
  { product: 'flexlog', path: 'flexlog', icon: 'phone' },
  { product: 'flexdplayer', path: 'flexdplayer', icon: 'smartphone' },
  { product: 'ootairyoku', path: 'popup', icon: 'popup' },
  { product: 'flexvnote', path: 'vnote', icon: 'mic' },
];

/** The recording screens (search, call detail): shown when the tenant has a recording product. */
export interface RecordingsNav {
  labelKey: string;
  testId: string;
  path: string;
  icon: string;
  roles: Role[];
  products: Product[];
}

/** Products whose tenants have recorded calls: FlexLog, FlexDPlayer, and FlexVNote's transcribed uploads. */
export const RECORDING_PRODUCTS: Product[] = ['flexlog', 'flexdplayer', 'flexvnote'];

export const RECORDINGS_NAV: RecordingsNav[] = [
  {
    labelKey: 'dashboard.nav',
    testId: 'nav-dashboard',
    path: 'dashboard',
    icon: 'dashboard',
    roles: ['tenantAdmin', 'supervisor', 'operator', 'auditor'],
    products: RECORDING_PRODUCTS,
  },
  {
    labelKey: 'recordings.nav.search',
    testId: 'nav-recordings',
    path: 'recordings',
    icon: 'list',
    roles: ['tenantAdmin', 'supervisor', 'operator', 'auditor'],
    products: RECORDING_PRODUCTS,
  },
];

export interface AdminNav {
  key: string;
  /** data-testid of the nav entry (e2e). */
  testId: string;
  path: string;
  icon: string;
  roles: Role[];
  multiOnly?: boolean;
  /** Shown only when the tenant has one of these products. */
  products?: Product[];
}

/** FlexLog and 応対力 both listen through the capture boxes of these sites. */
export const CAPTURE_SITE_PRODUCTS: Product[] = ['flexlog', 'ootairyoku'];

export const ADMIN_NAV: AdminNav[] = [
  { key: 'users', testId: 'nav-users', path: 'admin/users', icon: 'users', roles: ['tenantAdmin'] },
  { key: 'apiKeys', testId: 'nav-api-keys', path: 'admin/api-keys', icon: 'key', roles: ['tenantAdmin'] },
  { key: 'audit', testId: 'nav-audit', path: 'admin/audit', icon: 'list', roles: ['tenantAdmin', 'auditor'] },
  { key: 'settings', testId: 'nav-settings', path: 'admin/settings', icon: 'tune', roles: ['tenantAdmin'] },
  {
    key: 'storage',
    testId: 'nav-storage',
    path: 'admin/storage',
    icon: 'storage',
    roles: ['tenantAdmin', 'auditor'],
  },
  {
    key: 'flexlogSites',
    testId: 'nav-flexlog-sites',
    path: 'admin/flexlog-sites',
    icon: 'router',
    roles: ['tenantAdmin', 'auditor'],
    products: CAPTURE_SITE_PRODUCTS,
  },
  {
    key: 'flexdplayer',
    testId: 'nav-flexdplayer-settings',
    path: 'flexdplayer/connectors',
    icon: 'smartphone',
    roles: ['tenantAdmin', 'auditor'],
    products: ['flexdplayer'],
  },
  {
    key: 'support',
    testId: 'nav-support',
    path: 'admin/support',
    icon: 'support',
    roles: ['tenantAdmin', 'auditor'],
  },
  {
    key: 'tenants',
    testId: 'nav-tenants',
    path: 'admin/tenants',
    icon: 'business',
    roles: ['vendorAdmin'],
    multiOnly: true,
  },
];

/** The vendor console (販売元): vendor staff on the hosted multi-tenant instance only. */
export interface VendorNav {
  key: string;
  testId: string;
  path: string;
  icon: string;
  roles: Role[];
}

const VENDOR_STAFF: Role[] = ['vendorAdmin', 'vendorSupport'];
/** `contract-end` -> key `contractEnd`, route `vendor/contract-end`, test id `nav-vendor-contract-end`. */
const vendorEntry = (slug: string, icon: string, roles: Role[] = VENDOR_STAFF): VendorNav => ({
  key: slug.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
  testId: `nav-vendor-${slug}`,
  path: `vendor/${slug}`,
  icon,
  roles,
});

// Contract end and equipment returns are for vendor admins only (as their API is).
export const VENDOR_NAV: VendorNav[] = [
  vendorEntry('dashboard', 'dashboard'),
  vendorEntry('plans', 'list'),
  vendorEntry('contracts', 'description'),
  vendorEntry('invoices', 'receipt'),
  vendorEntry('receivables', 'payments'),
  vendorEntry('quote', 'calculate'),
  vendorEntry('contract-end', 'delete', ['vendorAdmin']),
];

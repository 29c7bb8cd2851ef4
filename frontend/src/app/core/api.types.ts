// Shapes of the core API (docs/api-contract-core.md). Keep in step with the backend.

export const ROLES = ['vendorAdmin', 'vendorSupport', 'tenantAdmin', 'supervisor', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

// Roles a tenant administrator may hand out (vendor roles are managed by the vendor).
export const TENANT_ROLES: Role[] = ['tenantAdmin', 'supervisor', 'operator', 'auditor'];

export const PRODUCTS = ['flexlog', 'flexdplayer', 'ootairyoku', 'flexvnote'] as const;
export type Product = (typeof PRODUCTS)[number];

export type Locale = 'ja' | 'en';
export type DeploymentMode = 'single' | 'multi';

export interface Tenant {
  id: string;
  name: string;
  products: Product[];
  deploymentMode: DeploymentMode;
  timeZone: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
  tenant: Tenant;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  locale: Locale;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message?: string | string[];
  errors?: FieldError[];
}

export interface TestResult {
  ok: boolean;
  message: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
}

export interface OrgSettings {
  organizationName: string;
  timeZone: string;
  defaultLocale: Locale;
  products: Product[];
}

export interface AuditItem {
  id: string;
  seq: number;
  time: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: unknown;
}

export interface AuditPage {
  items: AuditItem[];
  nextBefore: string | number | null;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; reason: string };
}

export interface TenantSummary {
  id: string;
  name: string;
  products: Product[];
  timeZone?: string;
  createdAt?: string;
}

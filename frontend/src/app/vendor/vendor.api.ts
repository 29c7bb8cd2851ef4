import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

// Types and calls of the vendor console (docs/billing.md: plans, contracts, invoices, payments,
// receivables, the simulator; contract end; the vendor dashboard). Everything is under /api/v1/vendor.

const BASE = '/api/v1/vendor';

export const BILLING_PRODUCTS = ['FlexLog', 'FlexDPlayer', 'Ootairyoku', 'FlexVNote'] as const;
export type BillingProduct = (typeof BILLING_PRODUCTS)[number];
export type BillingCycle = 'monthly' | 'annual';

export interface Plan {
  id: string;
  code: string;
  nameJa: string;
  nameEn: string;
  products: BillingProduct[];
  capacityGb: number;
  monthlyFee: number;
  initialFee: number;
  active: boolean;
}
export type PlanInput = Omit<Plan, 'id'>;

export interface Contract {
  id: string;
  tenantId: string;
  product: BillingProduct;
  billingCycle: BillingCycle;
  equipment: string[];
  appliedOn: string;
  openingTestOn: string | null;
  openingTestSource: 'manual' | 'product' | null;
  initialPlan: { planId: string; code: string; monthlyFee: number; initialFee: number; capacityGb: number };
  planChanges: { id: string; effectiveOn: string; planId: string; code: string; monthlyFee: number }[];
  currentPlanCode: string;
  serviceStartDate: string | null;
  billingStartDate: string | null;
  minimumTermEndsOn: string | null;
  cancellationRequestedOn: string | null;
  serviceEndDate: string | null;
  equipmentReturnDeadline: string | null;
  equipmentReturnedOn: string | null;
  nextRenewal: { periodStart: string; periodEnd: string; remindOn: string } | null;
}

export interface ContractInput {
  tenantId: string;
  product: BillingProduct;
  planId: string;
  billingCycle: BillingCycle;
  equipment: string[];
  appliedOn: string;
  openingTestOn?: string;
}

export interface PlanChangeResult {
  kind: 'upgrade' | 'downgrade';
  from: string;
  to: string;
  effectiveOn: string;
  initialFee: number;
  annualUpgradeCharge: { wholeMonthsLeft: number; amount: number } | null;
  usedBytes: number;
  contract: Contract;
}

export interface CancellationPreview {
  requestedOn: string;
  serviceEndDate: string;
  minimumTermEndsOn: string;
  minimumTermAdjustment: { invoiceMonth: string; monthlyFee: number; usageBilled: number; amount: number } | null;
  finalInvoiceMonth: string;
  equipmentReturnDeadline: string | null;
  annualRefund: number | null;
}

export interface InvoiceLine {
  kind: string;
  description?: string;
  from?: string | null;
  to?: string | null;
  amount: number;
}

export interface Invoice {
  id: string;
  number: string;
  contractId: string;
  tenantId: string;
  customerName: string;
  month: string;
  issueDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  subtotal: number;
  tax: number;
  total: number;
  paidOn: string | null;
}

export interface MonthRun {
  month: string;
  issued: { contractId: string; number: string; total: number }[];
  alreadyIssued: { contractId: string; number: string }[];
  nothingToBill: string[];
  failed: { contractId: string; error: string }[];
}

export interface InvoiceIssuer {
  name: string;
  registrationNumber: string;
  address?: string;
  phone?: string;
  bankAccount?: string;
}

export interface PaymentInput {
  invoiceNumber: string;
  paidOn: string;
  amount: number;
  payerName: string;
}

export type ImportRow =
  | { line: number; status: 'recorded'; invoiceNumber: string; outstanding: number; paidInFullOn: string | null }
  | { line: number; status: 'refused'; field: string; message: string };
export interface ImportReport {
  recorded: number;
  refused: number;
  rows: ImportRow[];
}

export interface Receivable {
  invoiceId: string;
  number: string;
  tenantId: string;
  customerName: string;
  month: string;
  dueDate: string;
  total: number;
  paid: number;
  outstanding: number;
  overdue: boolean;
  daysLate: number;
  damagesIfPaidToday: number;
}
export interface Receivables {
  asOf: string;
  receivables: Receivable[];
  totals: { count: number; outstanding: number; overdueCount: number; overdueOutstanding: number };
}

export interface SimulatedInvoice {
  id: string;
  dueDate: string;
  lines: { kind: string; amount: number; from?: string; to?: string; invoice?: string; daysLate?: number }[];
  subtotal: number;
  tax: number;
  total: number;
}
export interface SimulationResult {
  serviceStartDate: string;
  billingStartDate: string;
  minimumTermEndsOn: string;
  serviceEndDate: string | null;
  equipmentReturnDeadline: string | null;
  invoices: SimulatedInvoice[];
}

export interface ContractEnd {
  tenantId: string;
  tenantName: string;
  contractId: string | null;
  serviceEndDate: string;
  stepsDone: string[];
  lastError: string | null;
  certificateId: string | null;
  startedAt: string;
  finishedAt: string | null;
}
export interface ContractEndPreview {
  tenant: { id: string; name: string };
  today: string;
  serviceEnded: boolean;
  contract: { serviceEndDate: string } | null;
  shredding: { stepsDone: string[]; finishedAt: string | null } | null;
  wouldDelete: {
    objects: Record<string, { count: number; bytes: number }>;
    files: { count: number; bytes: number };
    rows: Record<string, number>;
    dataKeys: number;
  };
}
export interface EquipmentReturn {
  id: string;
  tenantId: string;
  contractId: string;
  serialNumber: string;
  serviceEndDate: string;
  deadline: string;
  returnedOn: string | null;
}

export interface DashboardContract {
  contractId: string;
  product: string;
  billingCycle: BillingCycle;
  planCode: string;
  state: 'pending' | 'running' | 'ended';
  monthlyFee: number;
  capacityBytes: number;
}
export interface VendorDashboard {
  asOf: string;
  tenantCount: number;
  byProductAndPlan: { product: string; planCode: string; contracts: number; tenants: number }[];
  monthlyRecurringRevenue: number;
  storage: { usedBytes: number; soldBytes: number };
  sitesOffline: { tenantId: string; tenantName: string; siteId: string; siteName: string; lastSeenAt: string | null }[];
  overdue: {
    count: number;
    outstanding: number;
    invoices: {
      invoiceId: string;
      number: string;
      customerName: string;
      dueDate: string;
      outstanding: number;
      daysLate: number;
    }[];
  };
  tenants: {
    tenantId: string;
    name: string;
    products: string[];
    contracts: DashboardContract[];
    usedBytes: number;
    soldBytes: number;
    sitesOffline: number;
    overdueInvoices: number;
    overdueOutstanding: number;
  }[];
}
export interface SupportAccessGrant {
  id: string;
  tenantId: string;
  tenantName: string;
  scope: 'read' | 'admin';
  reason: string;
  grantee: string | null;
  grantedBy: string;
  expiresAt: string;
}

export interface TenantRef {
  id: string;
  name: string;
  products: string[];
  /** The vendor's own tenant: no contract, no contract end. */
  isOperator?: boolean;
}

@Injectable({ providedIn: 'root' })
export class VendorApi {
  private readonly http = inject(HttpClient);

  /** The customer tenants (the vendor's own tenant is left out: it has no contract). */
  tenants = (): Observable<TenantRef[]> =>
    this.http.get<TenantRef[]>('/api/v1/tenants').pipe(map((all) => all.filter((t) => !t.isOperator)));

  plans = (): Observable<Plan[]> => this.http.get<Plan[]>(`${BASE}/plans`);
  createPlan = (p: PlanInput): Observable<Plan> => this.http.post<Plan>(`${BASE}/plans`, p);
  updatePlan = (id: string, p: Partial<PlanInput>): Observable<Plan> => this.http.patch<Plan>(`${BASE}/plans/${id}`, p);

  contracts = (tenantId?: string): Observable<Contract[]> =>
    this.http.get<Contract[]>(`${BASE}/contracts`, { params: tenantId ? { tenantId } : {} });
  contract = (id: string): Observable<Contract> => this.http.get<Contract>(`${BASE}/contracts/${id}`);
  createContract = (c: ContractInput): Observable<Contract> => this.http.post<Contract>(`${BASE}/contracts`, c);
  setOpeningTest = (id: string, openingTestOn: string): Observable<Contract> =>
    this.http.put<Contract>(`${BASE}/contracts/${id}/opening-test`, { openingTestOn });
  changePlan = (id: string, planId: string, effectiveOn: string): Observable<PlanChangeResult> =>
    this.http.post<PlanChangeResult>(`${BASE}/contracts/${id}/plan-changes`, { planId, effectiveOn });
  previewCancellation = (id: string, requestedOn: string): Observable<CancellationPreview> =>
    this.http.post<CancellationPreview>(`${BASE}/contracts/${id}/cancellation/preview`, { requestedOn });
  cancel = (id: string, requestedOn: string): Observable<CancellationPreview & { contract: Contract }> =>
    this.http.post<CancellationPreview & { contract: Contract }>(`${BASE}/contracts/${id}/cancellation`, {
      requestedOn,
    });

  issuer = (): Observable<Partial<InvoiceIssuer>> => this.http.get<Partial<InvoiceIssuer>>(`${BASE}/invoice-issuer`);
  setIssuer = (i: InvoiceIssuer): Observable<InvoiceIssuer> =>
    this.http.put<InvoiceIssuer>(`${BASE}/invoice-issuer`, i);
  runMonth = (month: string, issueDate?: string): Observable<MonthRun> =>
    this.http.post<MonthRun>(`${BASE}/invoices/runs`, issueDate ? { month, issueDate } : { month });
  invoices = (filter: { month?: string; tenantId?: string; contractId?: string }): Observable<Invoice[]> => {
    const params = Object.fromEntries(Object.entries(filter).filter(([, v]) => !!v)) as Record<string, string>;
    return this.http.get<Invoice[]>(`${BASE}/invoices`, { params });
  };
  invoiceFile = (id: string, kind: 'pdf' | 'csv'): Observable<Blob> =>
    this.http.get(`${BASE}/invoices/${id}/${kind}`, { responseType: 'blob' });

  recordPayment = (p: PaymentInput): Observable<unknown> => this.http.post(`${BASE}/payments`, p);
  importPayments = (csv: string): Observable<ImportReport> =>
    this.http.post<ImportReport>(`${BASE}/payments/import`, { csv });
  receivables = (asOf?: string): Observable<Receivables> =>
    this.http.get<Receivables>(`${BASE}/receivables`, { params: asOf ? { asOf } : {} });

  simulate = (scenario: unknown): Observable<SimulationResult> =>
    this.http.post<SimulationResult>(`${BASE}/billing/simulate`, scenario);

  contractEnds = (): Observable<ContractEnd[]> => this.http.get<ContractEnd[]>(`${BASE}/contract-ends`);
  contractEndPreview = (tenantId: string): Observable<ContractEndPreview> =>
    this.http.get<ContractEndPreview>(`${BASE}/contract-ends/${tenantId}/preview`);
  runContractEnd = (tenantId: string): Observable<unknown> => this.http.post(`${BASE}/contract-ends/${tenantId}`, {});
  equipmentReturns = (): Observable<EquipmentReturn[]> => this.http.get<EquipmentReturn[]>(`${BASE}/equipment-returns`);
  markReturned = (id: string, returnedOn: string): Observable<EquipmentReturn> =>
    this.http.post<EquipmentReturn>(`${BASE}/equipment-returns/${id}/returned`, { returnedOn });

  dashboard = (): Observable<VendorDashboard> => this.http.get<VendorDashboard>(`${BASE}/dashboard`);
  supportAccess = (): Observable<SupportAccessGrant[]> => this.http.get<SupportAccessGrant[]>(`${BASE}/support-access`);
}

/** Saves a downloaded file under `name` through a temporary link (the API answers with a Blob). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Today in Japan as YYYY-MM-DD: every contract date of the terms is counted there. */
export const tokyoToday = (): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

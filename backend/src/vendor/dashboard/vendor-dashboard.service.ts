import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, MoreThan } from 'typeorm';
import { SupportGrant } from '../../core/support/support-grant.entity';
import { Tenant } from '../../core/tenancy/tenant.entity';
import { User } from '../../core/users/user.entity';
import { isOffline } from '../../products/flexlog/health/site-conditions';
import { SiteHealth } from '../../products/flexlog/health/site-health.entity';
import { FlexlogSite } from '../../products/flexlog/sites/site.entity';
import { UsageCounter } from '../../products/recordings/retention/usage-counter';
import type { CivilDate } from '../billing/civil-date';
import { planOn } from '../billing/contract';
import { engineContractOf, enginePlan } from '../contracts/contract-engine';
import { VendorContract } from '../contracts/contract.entities';
import { ContractsService } from '../contracts/contracts.service';
import { GB } from '../plans/plan.entity';
import { ReceivablesService } from '../invoices/receivables.service';

/** A contract as the dashboard counts it on a day. */
export interface DashboardContract {
  contractId: string;
  product: string;
  billingCycle: string;
  planCode: string;
  /** running: billing started and the service not ended; pending: no opening test or billing not yet started. */
  state: 'pending' | 'running' | 'ended';
  monthlyFee: number;
  capacityBytes: number;
}

export interface DashboardTenant {
  tenantId: string;
  name: string;
  products: string[];
  contracts: DashboardContract[];
  usedBytes: number;
  /** Capacity of the plans in force on the running contracts. */
  soldBytes: number;
  sitesOffline: number;
  overdueInvoices: number;
  overdueOutstanding: number;
}

/**
 * Annual contracts pay 11 months for 12 (Art. 10.2): their monthly recurring revenue is that spread
 * over the year, rounded down, so MRR x 12 is what a year of the running book brings in.
 */
export const monthlyRecurringRevenueOf = (c: Pick<DashboardContract, 'billingCycle' | 'monthlyFee'>): number =>
  c.billingCycle === 'annual' ? Math.floor((c.monthlyFee * 11) / 12) : c.monthlyFee;

/**
 * The vendor's overview of its customers on one day: contracts by product and plan, monthly
 * recurring revenue, stored bytes against sold capacity, FlexLog sites offline and overdue invoices.
 * Reads across tenants (vendor staff only): figures, never a tenant's recordings.
 */
@Injectable()
export class VendorDashboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly receivables: ReceivablesService,
    private readonly contracts: ContractsService,
    private readonly usage: UsageCounter,
  ) {}

  async overview(today: CivilDate, now: Date) {
    const tenants = await this.dataSource.getRepository(Tenant).find({ where: { isOperator: false } });
    const contracts = await this.contractsByTenant(today);
    const used = new Map(await Promise.all(tenants.map(async (t) => [t.id, await this.usage.used(t.id)] as const)));
    const offline = await this.offlineSitesByTenant(now);
    const { receivables, totals } = await this.receivables.asOf(today);
    const rows: DashboardTenant[] = tenants
      .sort((a, b) => a.name.localeCompare(b.name, 'ja'))
      .map((t) => {
        const own = contracts.get(t.id) ?? [];
        const overdue = receivables.filter((r) => r.tenantId === t.id && r.overdue);
        return {
          tenantId: t.id,
          name: t.name,
          products: t.products,
          contracts: own,
          usedBytes: used.get(t.id) ?? 0,
          soldBytes: own.filter((c) => c.state === 'running').reduce((s, c) => s + c.capacityBytes, 0),
          sitesOffline: offline.get(t.id)?.length ?? 0,
          overdueInvoices: overdue.length,
          overdueOutstanding: overdue.reduce((s, r) => s + r.outstanding, 0),
        };
      });
    const running = rows.flatMap((r) => r.contracts.filter((c) => c.state === 'running'));
    return {
      asOf: today,
      tenantCount: rows.length,
      byProductAndPlan: this.groupByProductAndPlan(rows),
      monthlyRecurringRevenue: running.reduce((s, c) => s + monthlyRecurringRevenueOf(c), 0),
      storage: {
        usedBytes: rows.reduce((s, r) => s + r.usedBytes, 0),
        soldBytes: rows.reduce((s, r) => s + r.soldBytes, 0),
      },
      sitesOffline: [...offline.entries()].flatMap(([tenantId, sites]) =>
        sites.map((s) => ({ tenantId, tenantName: tenants.find((t) => t.id === tenantId)?.name ?? '', ...s })),
      ),
      overdue: {
        count: totals.overdueCount,
        outstanding: totals.overdueOutstanding,
        invoices: receivables
          .filter((r) => r.overdue)
          .map((r) => ({
            invoiceId: r.invoiceId,
            number: r.number,
            tenantId: r.tenantId,
            customerName: r.customerName,
            dueDate: r.dueDate,
            outstanding: r.outstanding,
            daysLate: r.daysLate,
          })),
      },
      tenants: rows,
    };
  }

  /** Support grants in force now across every tenant, with who may use them (Art. 14.3). */
  async activeSupportGrants(now: Date) {
    const grants = await this.dataSource.getRepository(SupportGrant).find({
      where: { revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { expiresAt: 'ASC' },
    });
    const tenants = new Map((await this.dataSource.getRepository(Tenant).find()).map((t) => [t.id, t.name]));
    const userIds = [...new Set(grants.flatMap((g) => [g.grantedBy, g.granteeUserId ?? []].flat()))];
    const users = new Map(
      userIds.length
        ? (await this.dataSource.getRepository(User).findBy({ id: In(userIds) })).map((u) => [u.id, u.email])
        : [],
    );
    return grants.map((g) => ({
      id: g.id,
      tenantId: g.tenantId,
      tenantName: tenants.get(g.tenantId) ?? '',
      scope: g.scope,
      reason: g.reason,
      grantee: g.granteeUserId ? (users.get(g.granteeUserId) ?? g.granteeUserId) : null,
      grantedBy: users.get(g.grantedBy) ?? g.grantedBy,
      createdAt: g.createdAt,
      expiresAt: g.expiresAt,
    }));
  }

  /** Every contract with its state and plan on `today`, as the billing engine decides them. */
  private async contractsByTenant(today: CivilDate): Promise<Map<string, DashboardContract[]>> {
    const rows = await this.dataSource
      .getRepository(VendorContract)
      .find({ select: { id: true }, order: { createdAt: 'ASC' } });
    const byTenant = new Map<string, DashboardContract[]>();
    for (const { id } of rows) {
      const { stored, row } = await this.contracts.load(id);
      const contract = stored ? engineContractOf(stored) : null;
      // Before the billing start the contract's own plan is the one that will be billed first.
      const plan = contract ? planOn(contract, today) : enginePlan(row);
      const state: DashboardContract['state'] =
        !contract || today < contract.billingStart
          ? 'pending'
          : contract.serviceEnd && contract.serviceEnd < today
            ? 'ended'
            : 'running';
      const list = byTenant.get(row.tenantId) ?? [];
      list.push({
        contractId: row.id,
        product: row.product,
        billingCycle: row.billingCycle,
        planCode: plan.code,
        state,
        monthlyFee: plan.monthlyFee,
        capacityBytes: plan.capacityBytes ?? row.capacityGb * GB,
      });
      byTenant.set(row.tenantId, list);
    }
    return byTenant;
  }

  private async offlineSitesByTenant(now: Date) {
    const sites = await this.dataSource.getRepository(FlexlogSite).find();
    const health = new Map((await this.dataSource.getRepository(SiteHealth).find()).map((h) => [h.siteId, h]));
    const byTenant = new Map<string, Array<{ siteId: string; siteName: string; lastSeenAt: Date | null }>>();
    for (const site of sites) {
      const h = health.get(site.id);
      if (!h || !isOffline(site, h, now)) continue;
      const list = byTenant.get(site.tenantId) ?? [];
      list.push({ siteId: site.id, siteName: site.name, lastSeenAt: h.lastSeenAt });
      byTenant.set(site.tenantId, list);
    }
    return byTenant;
  }

  private groupByProductAndPlan(rows: DashboardTenant[]) {
    const groups = new Map<string, { product: string; planCode: string; contracts: number; tenants: Set<string> }>();
    for (const r of rows)
      for (const c of r.contracts.filter((x) => x.state !== 'ended')) {
        const key = `${c.product}\u0000${c.planCode}`;
        const g = groups.get(key) ?? { product: c.product, planCode: c.planCode, contracts: 0, tenants: new Set() };
        g.contracts += 1;
        g.tenants.add(r.tenantId);
        groups.set(key, g);
      }
    return [...groups.values()]
      .map((g) => ({ product: g.product, planCode: g.planCode, contracts: g.contracts, tenants: g.tenants.size }))
      .sort((a, b) => a.product.localeCompare(b.product) || a.planCode.localeCompare(b.planCode));
  }
}

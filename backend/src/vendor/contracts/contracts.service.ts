import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { RequestContext } from '../../core/tenancy/request-context';
import { TenantsService } from '../../core/tenancy/tenants.service';
import { fieldError } from '../../platform/http/field-errors';
import { UsageCounter } from '../../products/recordings/retention/usage-counter';
import { upgradeCharges } from '../billing/annual-charges';
import { addDays, addMonthsToMonth, CivilDate, firstDayOf, monthOf } from '../billing/civil-date';
import { Contract, planOn, rentsEquipment } from '../billing/contract';
import { minimumTermAdjustment } from '../billing/contract-end-charges';
import { VendorInvoice } from '../invoices/invoice.entities';
import { PlansService } from '../plans/plans.service';
import { VendorPlan, GB } from '../plans/plan.entity';
import { tokyoDateOf } from '../vendor-console';
import { ContractPlanChange, VendorContract } from './contract.entities';
import { CancellationDto, CreateContractDto, PlanChangeDto } from './contract.dto';
import { engineContractOf, enginePlan, ProposedEvent, StoredContract } from './contract-engine';
import { contractView, ContractView } from './contract-view';
import { OpeningTestDates } from './opening-test-dates';

/** A contract whose service has ended: what contract end (data deletion, certificate) works from. */
export interface EndedContract {
  tenantId: string;
  contractId: string;
  serviceEndDate: CivilDate;
  equipment: string[];
}

/**
 * Contracts (Art. 9-13): the stored facts (plan as priced, dates entered, requests made) and, from
 * them, everything the billing engine decides. Every change is tried on the engine first, so what it
 * refuses (a plan change before the billing start, a capacity too small for the recordings, a
 * cancellation before the service starts) is refused here with its own message.
 */
@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly tenants: TenantsService,
    private readonly openingTests: OpeningTestDates,
    private readonly usage: UsageCounter,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  private get rows() {
    return this.dataSource.getRepository(VendorContract);
  }

  async create(dto: CreateContractDto): Promise<ContractView> {
    await this.tenants.get(dto.tenantId).catch(() => {
      throw fieldError('tenantId', `there is no tenant ${dto.tenantId}`);
    });
    const plan = await this.offeredPlan(dto.planId, dto.product);
    const equipment = dto.equipment ?? [];
    if (equipment.length && !rentsEquipment(dto.product)) {
      throw fieldError('equipment', `${dto.product} has no rental equipment (Art. 5.2)`);
    }
    if (dto.openingTestOn && dto.openingTestOn < dto.appliedOn) {
      throw fieldError('openingTestOn', `the opening test cannot come before the application (${dto.appliedOn})`);
    }
    const now = new Date();
    const row: VendorContract = {
      id: randomUUID(),
      tenantId: dto.tenantId,
      product: dto.product,
      billingCycle: dto.billingCycle,
      equipment: JSON.stringify(equipment),
      appliedOn: dto.appliedOn,
      openingTestOn: dto.openingTestOn ?? null,
      planId: plan.id,
      planCode: plan.code,
      monthlyFee: plan.monthlyFee,
      initialFee: plan.initialFee,
      capacityGb: plan.capacityGb,
      cancellationRequestedOn: null,
      serviceEndOn: null,
      equipmentReturnedOn: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.rows.insert(row);
    await this.audit.record({ action: 'vendor.contract.created', target: row.id, details: { ...dto } });
    return this.view(row.id);
  }

  async list(tenantId?: string): Promise<ContractView[]> {
    const rows = await this.rows.find({ where: tenantId ? { tenantId } : {}, order: { createdAt: 'ASC' } });
    return Promise.all(rows.map((r) => this.view(r.id)));
  }

  /** The stored row, or null for an id this installation does not hold. */
  find(id: string): Promise<VendorContract | null> {
    return this.rows.findOne({ where: { id } });
  }

  async view(id: string, today = tokyoDateOf(new Date())): Promise<ContractView> {
    const row = await this.row(id);
    const changes = await this.changesOf(id);
    const opening = await this.openingTestOf(row);
    const contract = opening.on ? engineContractOf({ row, changes, serviceStart: opening.on }) : null;
    return contractView(row, changes, opening, contract, today);
  }

  /** The contract as stored and as the engine sees it; null engine contract before the opening test. */
  async load(id: string): Promise<{ stored: StoredContract | null; row: VendorContract }> {
    const row = await this.row(id);
    const opening = await this.openingTestOf(row);
    if (!opening.on) return { stored: null, row };
    return { stored: { row, changes: await this.changesOf(id), serviceStart: opening.on }, row };
  }

  /** Every contract whose service has started, for the invoicing job and the renewal reminders. */
  async allStarted(): Promise<StoredContract[]> {
    const ids = (await this.rows.find({ select: { id: true }, order: { createdAt: 'ASC' } })).map((r) => r.id);
    const loaded = await Promise.all(ids.map((id) => this.load(id)));
    return loaded.flatMap((l) => (l.stored ? [l.stored] : []));
  }

  async setOpeningTest(id: string, openingTestOn: CivilDate): Promise<ContractView> {
    const row = await this.row(id);
    if (openingTestOn < row.appliedOn) {
      throw fieldError('openingTestOn', `the opening test cannot come before the application (${row.appliedOn})`);
    }
    const issued = await this.dataSource.getRepository(VendorInvoice).count({ where: { contractId: id } });
    if (issued) throw fieldError('openingTestOn', 'invoices are already issued from the current billing start');
    await this.rows.update({ id }, { openingTestOn, updatedAt: new Date() });
    await this.audit.record({ action: 'vendor.contract.openingTest', target: id, details: { openingTestOn } });
    return this.view(id);
  }

  /**
   * Art. 13: a plan change from `effectiveOn`. The engine refuses a plan too small for the tenant's
   * stored recordings (Art. 13.8), naming the bytes to delete; the answer says what the change costs.
   */
  async changePlan(id: string, dto: PlanChangeDto) {
    const { stored, row } = await this.started(id);
    const plan = await this.offeredPlan(dto.planId, row.product);
    await this.assertMonthOpen(id, monthOf(dto.effectiveOn), 'effectiveOn');
    const usedBytes = await this.usage.used(row.tenantId);
    const proposed: ProposedEvent = {
      event: {
        type: 'planChange',
        effectiveOn: dto.effectiveOn,
        plan: enginePlan({ ...plan, planCode: plan.code }),
        usedBytes,
      },
      field: 'planId',
      fields: { effectiveOn: 'effectiveOn' },
    };
    let contract: Contract;
    try {
      contract = engineContractOf(stored, [proposed]);
    } catch (error) {
      const bytesToDelete = usedBytes - plan.capacityGb * GB;
      if (error instanceof BadRequestException && bytesToDelete > 0) {
        throw new BadRequestException({ ...(error.getResponse() as object), usedBytes, bytesToDelete });
      }
      throw error;
    }
    // The engine has refused a change on or before the billing start, so the day before is billed.
    const before = planOn(contract, addDays(dto.effectiveOn, -1));
    const change: ContractPlanChange = {
      id: randomUUID(),
      contractId: id,
      effectiveOn: dto.effectiveOn,
      planId: plan.id,
      planCode: plan.code,
      monthlyFee: plan.monthlyFee,
      initialFee: plan.initialFee,
      capacityGb: plan.capacityGb,
      createdAt: new Date(),
      createdBy: this.context.principal()?.id ?? null,
    };
    await this.dataSource.getRepository(ContractPlanChange).insert(change);
    const kind = plan.monthlyFee > before.monthlyFee ? 'upgrade' : 'downgrade';
    const upgrade = upgradeCharges(contract).find((c) => c.effectiveOn === dto.effectiveOn);
    const result = {
      kind,
      from: before.code,
      to: plan.code,
      effectiveOn: dto.effectiveOn,
      initialFee: plan.initialFee,
      annualUpgradeCharge: upgrade ? { wholeMonthsLeft: upgrade.wholeMonthsLeft, amount: upgrade.amount } : null,
      usedBytes,
      contract: await this.view(id),
    };
    await this.audit.record({
      action: 'vendor.contract.planChanged',
      target: id,
      details: { from: before.code, to: plan.code, effectiveOn: dto.effectiveOn, kind },
    });
    return result;
  }

  /** Art. 12.1-12.3: what a cancellation requested on `requestedOn` would do, saving nothing. */
  async previewCancellation(id: string, dto: CancellationDto) {
    const { stored, row } = await this.started(id);
    if (row.cancellationRequestedOn) {
      throw fieldError('requestedOn', `a cancellation was already requested on ${row.cancellationRequestedOn}`);
    }
    const contract = engineContractOf(stored, [
      { event: { type: 'cancellationRequested', on: dto.requestedOn }, field: 'requestedOn' },
    ]);
    const serviceEnd = contract.serviceEnd as CivilDate;
    const adjustment = minimumTermAdjustment(contract);
    return {
      requestedOn: dto.requestedOn,
      serviceEndDate: serviceEnd,
      minimumTermEndsOn: contract.minimumTermEnd,
      minimumTermAdjustment: adjustment
        ? {
            invoiceMonth: adjustment.month,
            monthlyFee: adjustment.monthlyFee,
            usageBilled: adjustment.usageBilled,
            amount: adjustment.amount,
          }
        : null,
      finalInvoiceMonth: monthOf(serviceEnd),
      equipmentReturnDeadline: contract.equipmentReturnDeadline,
      // Art. 10.6: an annual contract cancelled mid-term gets nothing back.
      annualRefund: contract.cycle === 'annual' ? 0 : null,
    };
  }

  async confirmCancellation(id: string, dto: CancellationDto) {
    const preview = await this.previewCancellation(id, dto);
    await this.assertMonthOpen(id, preview.finalInvoiceMonth, 'requestedOn');
    await this.rows.update(
      { id },
      { cancellationRequestedOn: dto.requestedOn, serviceEndOn: preview.serviceEndDate, updatedAt: new Date() },
    );
    await this.audit.record({ action: 'vendor.contract.cancelled', target: id, details: { ...preview } });
    return { ...preview, contract: await this.view(id) };
  }

  /** Art. 12.8-9: the day the equipment arrived back; a late arrival is billed on that month's invoice. */
  async recordEquipmentReturn(id: string, returnedOn: CivilDate): Promise<ContractView> {
    const { stored, row } = await this.started(id);
    if (row.equipmentReturnedOn)
      throw fieldError('returnedOn', `the equipment came back on ${row.equipmentReturnedOn}`);
    engineContractOf(stored, [{ event: { type: 'equipmentReturned', on: returnedOn }, field: 'returnedOn' }]);
    await this.assertMonthOpen(id, monthOf(returnedOn), 'returnedOn');
    await this.rows.update({ id }, { equipmentReturnedOn: returnedOn, updatedAt: new Date() });
    await this.audit.record({ action: 'vendor.contract.equipmentReturned', target: id, details: { returnedOn } });
    return this.view(id);
  }

  /** Contracts whose service end date is before `date`: their service had ended when `date` began. */
  async endedOn(date: CivilDate): Promise<EndedContract[]> {
    const rows = await this.rows.find({ where: { serviceEndOn: LessThan(date) }, order: { serviceEndOn: 'ASC' } });
    return rows.map((r) => ({
      tenantId: r.tenantId,
      contractId: r.id,
      serviceEndDate: r.serviceEndOn as CivilDate,
      equipment: JSON.parse(r.equipment) as string[],
    }));
  }

  private async row(id: string): Promise<VendorContract> {
    const row = await this.rows.findOne({ where: { id } });
    if (!row) throw new NotFoundException(`contract ${id} not found`);
    return row;
  }

  private changesOf(contractId: string): Promise<ContractPlanChange[]> {
    return this.dataSource
      .getRepository(ContractPlanChange)
      .find({ where: { contractId }, order: { effectiveOn: 'ASC' } });
  }

  private async openingTestOf(row: VendorContract) {
    if (row.openingTestOn) return { on: row.openingTestOn, source: 'manual' as const };
    const confirmed = await this.openingTests.confirmedOn(row.tenantId, row.product);
    return confirmed ? { on: confirmed, source: 'product' as const } : { on: null, source: null };
  }

  private async started(id: string): Promise<{ stored: StoredContract; row: VendorContract }> {
    const { stored, row } = await this.load(id);
    if (!stored)
      throw fieldError('openingTestOn', 'the opening test has not been recorded: the service has not started');
    return { stored, row };
  }

  private async offeredPlan(planId: string, product: string): Promise<VendorPlan> {
    const plan = await this.plans.get(planId).catch(() => {
      throw fieldError('planId', `there is no plan ${planId}`);
    });
    if (!plan.active) throw fieldError('planId', `plan ${plan.code} is retired`);
    if (!(JSON.parse(plan.products) as string[]).includes(product)) {
      throw fieldError('planId', `plan ${plan.code} is not offered for ${product}`);
    }
    return plan;
  }

  /** A change that alters the charges of `month` is refused once that month's invoice is issued. */
  private async assertMonthOpen(contractId: string, month: string, field: string): Promise<void> {
    const issued = await this.dataSource
      .getRepository(VendorInvoice)
      .findOne({ where: { contractId, month: MoreThanOrEqual(month) }, order: { month: 'DESC' } });
    if (issued) {
      const next = firstDayOf(addMonthsToMonth(issued.month, 1));
      throw new ConflictException({
        message: `${field}: the invoice for ${issued.month} is already issued; this can take effect from ${next}`,
        errors: [
          { field, message: `the invoice for ${issued.month} is already issued; this can take effect from ${next}` },
        ],
      });
    }
  }
}

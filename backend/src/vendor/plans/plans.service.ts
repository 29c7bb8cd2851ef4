import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import type { BillingProduct } from '../billing/contract';
import { CreatePlanDto, UpdatePlanDto } from './plan.dto';
import { VendorPlan } from './plan.entity';

export interface PlanView {
  id: string;
  code: string;
  nameJa: string;
  nameEn: string;
  products: BillingProduct[];
  capacityGb: number;
  monthlyFee: number;
  initialFee: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const planView = (p: VendorPlan): PlanView => ({ ...p, products: JSON.parse(p.products) as BillingProduct[] });

/**
 * The plan catalogue. Contracts copy a plan's prices when they are made or changed, so editing or
 * retiring a plan here never changes what a running contract pays; a plan in use is retired
 * (active = false), never deleted.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(VendorPlan);
  }

  async list(): Promise<PlanView[]> {
    return (await this.repo.find({ order: { code: 'ASC' } })).map(planView);
  }

  async get(id: string): Promise<VendorPlan> {
    const plan = await this.repo.findOne({ where: { id } });
    if (!plan) throw new NotFoundException(`plan ${id} not found`);
    return plan;
  }

  async create(dto: CreatePlanDto): Promise<PlanView> {
    await this.assertCodeFree(dto.code);
    const now = new Date();
    const plan: VendorPlan = {
      id: randomUUID(),
      ...dto,
      products: JSON.stringify(dto.products),
      active: dto.active ?? true,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insert(plan);
    await this.audit.record({ action: 'vendor.plan.created', target: plan.id, details: { ...dto } });
    return planView(plan);
  }

  async update(id: string, dto: UpdatePlanDto): Promise<PlanView> {
    const plan = await this.get(id);
    if (dto.code !== undefined && dto.code !== plan.code) await this.assertCodeFree(dto.code);
    const patch: Partial<VendorPlan> = {
      ...dto,
      products: dto.products ? JSON.stringify(dto.products) : undefined,
      updatedAt: new Date(),
    };
    for (const key of Object.keys(patch) as Array<keyof VendorPlan>) if (patch[key] === undefined) delete patch[key];
    await this.repo.update({ id }, patch);
    await this.audit.record({ action: 'vendor.plan.updated', target: id, details: { ...dto } });
    return planView(await this.get(id));
  }

  /** Deletes a plan no contract has ever used; one in use must be retired instead (active = false). */
  async remove(id: string): Promise<void> {
    await this.get(id);
    const [{ used }] = await this.dataSource.query<Array<{ used: number | string }>>(
      'SELECT (SELECT COUNT(*) FROM vendor_contracts WHERE planId = ?) + ' +
        '(SELECT COUNT(*) FROM vendor_contract_plan_changes WHERE planId = ?) AS used',
      [id, id],
    );
    if (Number(used) > 0) {
      throw new ConflictException('this plan is used by contracts: retire it with active = false instead');
    }
    await this.repo.delete({ id });
    await this.audit.record({ action: 'vendor.plan.deleted', target: id });
  }

  private async assertCodeFree(code: string): Promise<void> {
    if (await this.repo.findOne({ where: { code } })) {
      throw new ConflictException({
        message: `code: plan code ${code} is already taken`,
        errors: [{ field: 'code', message: `plan code ${code} is already taken` }],
      });
    }
  }
}

import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { Response } from 'express';
import { AuditService } from '../../core/audit/audit.service';
import { Roles } from '../../core/auth/auth.decorators';
import { SETTING, SystemSettingsService } from '../../core/setup/system-settings.service';
import { RequestContext } from '../../core/tenancy/request-context';
import { TenantsService } from '../../core/tenancy/tenants.service';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ContractEndJobs, tokyoToday } from './contract-end.job';
import type { DeletionCertificate } from './deletion-certificate';
import { certificateHtml } from './deletion-certificate-html';
import { DeletionCertificateIssuer } from './deletion-certificate-issuer';
import { EquipmentReturnsService } from './equipment-returns.service';
import { stepsDone } from './tenant-shredder';
import { TenantInventoryService } from './tenant-inventory';
import { TenantShredding } from './termination.entities';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class MarkReturnedDto {
  @ApiProperty({ example: '2026-09-20' })
  @Matches(DATE, { message: 'returnedOn: a date YYYY-MM-DD' })
  returnedOn!: string;
}

/**
 * Contract end in the vendor console (Art. 12.4, 12.8-9): what would be deleted, running it for a
 * tenant whose service has ended, the deletion certificates, and the rental equipment to return.
 * Vendor admins only; every action is audited in the vendor's chain.
 */
@ApiTags('vendor')
@Controller('v1/vendor')
@Roles('vendorAdmin')
export class TerminationController {
  constructor(
    private readonly settings: SystemSettingsService,
    private readonly tenants: TenantsService,
    private readonly inventory: TenantInventoryService,
    private readonly jobs: ContractEndJobs,
    private readonly certificates: DeletionCertificateIssuer,
    private readonly equipment: EquipmentReturnsService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @InjectRepository(TenantShredding) private readonly shreddings: Repository<TenantShredding>,
  ) {}

  private async assertMulti(): Promise<void> {
    if ((await this.settings.get<string>(SETTING.deploymentMode)) !== 'multi')
      throw new NotFoundException('the vendor console exists only in multi-tenant mode');
  }

  @Get('contract-ends')
  async list() {
    await this.assertMulti();
    const rows = await this.shreddings.find({ order: { startedAt: 'DESC' } });
    return rows.map((r) => ({
      tenantId: r.tenantId,
      tenantName: r.tenantName,
      contractId: r.contractId,
      serviceEndDate: r.serviceEndDate,
      stepsDone: stepsDone(r),
      lastError: r.lastError,
      certificateId: r.certificateId,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    }));
  }

  /** What contract end would delete for this tenant now, and whether its service has ended. */
  @Get('contract-ends/:tenantId/preview')
  async preview(@Param('tenantId', new ParseUUIDPipe()) tenantId: string) {
    await this.assertMulti();
    const tenant = await this.tenants.get(tenantId);
    if (tenant.isOperator) throw new NotFoundException('tenant not found');
    const contract = await this.jobs.endedContractOf(tenantId).catch(() => null);
    const done = await this.shreddings.findOne({ where: { tenantId } });
    await this.audit.record({ action: 'vendor.termination.previewed', target: tenantId });
    return {
      tenant: { id: tenant.id, name: tenant.name },
      today: tokyoToday(),
      serviceEnded: !!contract,
      contract,
      shredding: done ? { stepsDone: stepsDone(done), finishedAt: done.finishedAt } : null,
      wouldDelete: await this.inventory.take(tenantId),
    };
  }

  /** Starts contract end for a tenant whose service has ended; 409 otherwise. Answers with the job to watch. */
  @Post('contract-ends/:tenantId')
  @HttpCode(202)
  async run(@Param('tenantId', new ParseUUIDPipe()) tenantId: string) {
    await this.assertMulti();
    const requestedBy = this.context.principal()?.id ?? null;
    const job = await this.jobs.startFor(tenantId, requestedBy);
    await this.audit.record({ action: 'vendor.termination.requested', target: tenantId, details: { jobId: job.id } });
    return job;
  }

  @Get('deletion-certificates/:id')
  async certificate(@Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const row = await this.downloaded(id, 'json');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="deletion-certificate-${id}.json"`);
    res.setHeader('X-Signature', row.signature);
    res.send(row.document);
  }

  @Get('deletion-certificates/:id/signature')
  async signature(@Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const row = await this.downloaded(id, 'signature');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="deletion-certificate-${id}.json.sig"`);
    res.send(`${row.signature}\n`);
  }

  @Get('deletion-certificates/:id/html')
  async html(@Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const row = await this.downloaded(id, 'html');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(certificateHtml(JSON.parse(row.document) as DeletionCertificate));
  }

  @Get('equipment-returns')
  async equipmentReturns(@Query('overdue') overdue?: string) {
    await this.assertMulti();
    return overdue === 'true' ? this.equipment.overdue(tokyoToday()) : this.equipment.list();
  }

  /** The figures billing takes for the contract (deadline, arrival, late days). */
  @Get('equipment-returns/contracts/:contractId')
  async contractReturn(@Param('contractId') contractId: string) {
    await this.assertMulti();
    return this.equipment.forContract(contractId, tokyoToday());
  }

  @Post('equipment-returns/:id/returned')
  @HttpCode(200)
  async markReturned(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: MarkReturnedDto) {
    await this.assertMulti();
    const row = await this.equipment.markReturned(id, dto.returnedOn);
    await this.audit.record({
      action: 'vendor.equipment.returned',
      target: row.tenantId,
      details: { contractId: row.contractId, serialNumber: row.serialNumber, returnedOn: dto.returnedOn },
    });
    return row;
  }

  private async downloaded(id: string, as: string) {
    await this.assertMulti();
    const row = await this.certificates.get(id);
    await this.audit.record({ action: 'vendor.certificate.downloaded', target: row.tenantId, details: { id, as } });
    return row;
  }
}

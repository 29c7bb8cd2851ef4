import { ForbiddenException, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Repository } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { SETTING, SystemSettingsService } from '../../../core/setup/system-settings.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import {
  AUDIO_QUALITIES,
  AudioQuality,
  RecordingPolicy,
  RetentionBySource,
  WHEN_FULL,
  WhenFull,
} from './recording-policy.entity';

/** Ten years: a longer retention is a typo, not a policy. */
const MAX_RETENTION_DAYS = 3650;

export class RetentionBySourceDto {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS) flexlog?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS) flexdplayer?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS) upload?: number;
}

export class UpdateRecordingPolicyDto {
  /** Set by the vendor's contract in the hosted service; by the customer's admin on-premise. */
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(0) capacityBytes?: number | null;
  @ApiPropertyOptional({ enum: WHEN_FULL }) @IsOptional() @IsIn(WHEN_FULL) whenFull?: WhenFull;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RETENTION_DAYS)
  retentionDays?: number | null;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RetentionBySourceDto)
  retentionBySource?: RetentionBySourceDto | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() operatorsSeeOwnCallsOnly?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(24 * 7) shareLinkMaxHours?: number;
  @ApiPropertyOptional({ enum: AUDIO_QUALITIES }) @IsOptional() @IsIn(AUDIO_QUALITIES) audioQuality?: AudioQuality;
}

export interface PolicyView {
  capacityBytes: number | null;
  whenFull: WhenFull;
  retentionDays: number | null;
  retentionBySource: RetentionBySource;
  operatorsSeeOwnCallsOnly: boolean;
  shareLinkMaxHours: number;
  audioQuality: AudioQuality;
}

export const DEFAULT_POLICY: PolicyView = {
  capacityBytes: null,
  whenFull: 'reject',
  retentionDays: null,
  retentionBySource: {},
  operatorsSeeOwnCallsOnly: true,
  shareLinkMaxHours: 24 * 7,
  audioQuality: 'telephone',
};

/** Each tenant's recording policy; a tenant without a row has the defaults. */
@Injectable()
export class RecordingPolicyService {
  constructor(
    @InjectRepository(RecordingPolicy) private readonly policies: Repository<RecordingPolicy>,
    private readonly settings: SystemSettingsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  async get(tenantId = this.context.tenantId()): Promise<PolicyView> {
    const row = await this.policies.findOne({ where: { tenantId } });
    return row ? toView(row) : { ...DEFAULT_POLICY };
  }

  /** The row itself (alert bookkeeping), made with defaults when missing. */
  async row(tenantId: string): Promise<RecordingPolicy> {
    const row = await this.policies.findOne({ where: { tenantId } });
    return (
      row ??
      this.policies.create({ tenantId, ...toRow(DEFAULT_POLICY), capacityAlertedAt: null, updatedAt: new Date() })
    );
  }

  /**
   * A tenant admin's change. In the hosted service the capacity comes from the contract, so only
   * the vendor (through `setForTenant`) may change it there.
   */
  async update(dto: UpdateRecordingPolicyDto): Promise<PolicyView> {
    const tenantId = this.context.tenantId();
    if (dto.capacityBytes !== undefined) {
      const mode = (await this.settings.get<string>(SETTING.deploymentMode)) ?? 'single';
      if (mode === 'multi') {
        throw new ForbiddenException('capacityBytes: set by your contract plan; ask the service provider to change it');
      }
    }
    return this.setForTenant(tenantId, dto);
  }

  /** Applies a change for a tenant (the vendor console's contract plans use this too), audited. */
  async setForTenant(tenantId: string, dto: UpdateRecordingPolicyDto): Promise<PolicyView> {
    const before = await this.get(tenantId);
    const after: PolicyView = {
      ...before,
      ...definedFields(dto),
      retentionBySource:
        dto.retentionBySource === undefined ? before.retentionBySource : { ...(dto.retentionBySource ?? {}) },
    };
    const row = await this.row(tenantId);
    await this.policies.save({ ...row, ...toRow(after), updatedAt: new Date() });
    await this.context.runAsTenant(tenantId, () =>
      this.audit.record({ action: 'recordings.policy.changed', target: tenantId, details: { before, after } }),
    );
    return after;
  }

  async markAlerted(tenantId: string, at: Date): Promise<void> {
    const row = await this.row(tenantId);
    await this.policies.save({ ...row, capacityAlertedAt: at });
  }
}

function definedFields(dto: UpdateRecordingPolicyDto): Partial<PolicyView> {
  const out: Partial<PolicyView> = {};
  if (dto.capacityBytes !== undefined) out.capacityBytes = dto.capacityBytes;
  if (dto.whenFull !== undefined) out.whenFull = dto.whenFull;
  if (dto.retentionDays !== undefined) out.retentionDays = dto.retentionDays;
  if (dto.operatorsSeeOwnCallsOnly !== undefined) out.operatorsSeeOwnCallsOnly = dto.operatorsSeeOwnCallsOnly;
  if (dto.shareLinkMaxHours !== undefined) out.shareLinkMaxHours = dto.shareLinkMaxHours;
  if (dto.audioQuality !== undefined) out.audioQuality = dto.audioQuality;
  return out;
}

function toView(row: RecordingPolicy): PolicyView {
  return {
    capacityBytes: row.capacityBytes,
    whenFull: row.whenFull,
    retentionDays: row.retentionDays,
    retentionBySource: row.retentionBySource ? (JSON.parse(row.retentionBySource) as RetentionBySource) : {},
    operatorsSeeOwnCallsOnly: row.operatorsSeeOwnCallsOnly,
    shareLinkMaxHours: row.shareLinkMaxHours,
    audioQuality: row.audioQuality ?? 'telephone',
  };
}

function toRow(view: PolicyView): Omit<RecordingPolicy, 'tenantId' | 'capacityAlertedAt' | 'updatedAt'> {
  const bySource = Object.keys(view.retentionBySource).length ? JSON.stringify(view.retentionBySource) : null;
  return {
    capacityBytes: view.capacityBytes,
    whenFull: view.whenFull,
    retentionDays: view.retentionDays,
    retentionBySource: bySource,
    operatorsSeeOwnCallsOnly: view.operatorsSeeOwnCallsOnly,
    shareLinkMaxHours: view.shareLinkMaxHours,
    audioQuality: view.audioQuality,
  };
}

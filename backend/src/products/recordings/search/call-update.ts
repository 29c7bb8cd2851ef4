import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { CallTag } from '../call-tag.entity';
import { Call } from '../call.entity';
import { CallSearchService } from './call-search.service';

export class UpdateCallDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) notes?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
  /** Legal hold blocks every deletion (retention, capacity rotation, the deletion tool). */
  @ApiPropertyOptional() @IsOptional() @IsBoolean() legalHold?: boolean;
}

/** Notes and tags (anyone who may see the call except auditors), legal hold (tenant admins only). */
@Injectable()
export class CallUpdateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly search: CallSearchService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  async update(id: string, dto: UpdateCallDto): Promise<void> {
    const roles = this.context.principal()?.roles ?? [];
    if (dto.legalHold !== undefined && !roles.includes('tenantAdmin')) {
      throw new ForbiddenException('only a tenant administrator may set or lift a legal hold');
    }
    const call = await this.search.findVisible(id);
    if (!call) throw new NotFoundException('call not found');
    await this.dataSource.transaction(async (m) => {
      const patch: Partial<Call> = {};
      if (dto.notes !== undefined) patch.notes = dto.notes || null;
      if (dto.legalHold !== undefined) patch.legalHold = dto.legalHold;
      if (Object.keys(patch).length) await m.getRepository(Call).update({ id, tenantId: call.tenantId }, patch);
      if (dto.tags) {
        await m.getRepository(CallTag).delete({ callId: id, tenantId: call.tenantId });
        const tags = [...new Set(dto.tags.map((t) => t.trim()).filter(Boolean))];
        if (tags.length)
          await m.getRepository(CallTag).insert(tags.map((tag) => ({ callId: id, tenantId: call.tenantId, tag })));
      }
    });
    await this.audit.record({
      action:
        dto.legalHold === undefined ? 'call.updated' : dto.legalHold ? 'call.legalHold.set' : 'call.legalHold.lifted',
      target: id,
      details: { ...dto, notes: dto.notes === undefined ? undefined : `${dto.notes.length} characters` },
    });
  }
}

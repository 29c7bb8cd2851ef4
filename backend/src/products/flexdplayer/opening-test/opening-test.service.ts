import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { fieldError } from '../../../platform/http/field-errors';
import { OpeningTest } from './opening-test.entity';

const PRODUCT = 'flexdplayer';

export class ConfirmOpeningTestDto {
  /** The date the test succeeded; default the first valid file's. */
  @ApiPropertyOptional({ example: '2026-11-24T09:30:00+09:00' }) @IsOptional() @IsISO8601({ strict: true }) at?: string;
}

export interface OpeningTestView {
  product: string;
  state: 'waiting' | 'candidate' | 'confirmed';
  candidateAt: Date | null;
  candidateNote: string | null;
  confirmedAt: Date | null;
  confirmedBy: string | null;
}

/** The FlexDPlayer opening test (開通試験) of a tenant: proposed by the first valid file, confirmed by an admin. */
@Injectable()
export class OpeningTestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  async get(tenantId = this.context.tenantId()): Promise<OpeningTestView> {
    const row = await this.dataSource.getRepository(OpeningTest).findOne({ where: { tenantId, product: PRODUCT } });
    return {
      product: PRODUCT,
      state: row?.confirmedAt ? 'confirmed' : row?.candidateAt ? 'candidate' : 'waiting',
      candidateAt: row?.candidateAt ?? null,
      candidateNote: row?.candidateNote ?? null,
      confirmedAt: row?.confirmedAt ?? null,
      confirmedBy: row?.confirmedBy ?? null,
    };
  }

  /** The first valid file of a tenant proposes its date; later files change nothing. */
  async noteValidFile(tenantId: string, fileName: string, at: Date): Promise<void> {
    const repo = this.dataSource.getRepository(OpeningTest);
    const row = await repo.findOne({ where: { tenantId, product: PRODUCT } });
    if (row?.candidateAt) return;
    const note = fileName.slice(0, 255);
    try {
      if (row) await repo.update({ tenantId, product: PRODUCT }, { candidateAt: at, candidateNote: note });
      else await repo.insert({ tenantId, product: PRODUCT, candidateAt: at, candidateNote: note });
    } catch (error) {
      // Two first files at once: the other one's date stands.
      if (!/duplicate|unique/i.test((error as Error).message)) throw error;
    }
  }

  async confirm(dto: ConfirmOpeningTestDto): Promise<OpeningTestView> {
    const tenantId = this.context.tenantId();
    const current = await this.get(tenantId);
    const at = dto.at ? new Date(dto.at) : current.candidateAt;
    if (!at) throw fieldError('at', 'no valid file has been received yet: give the date of the test');
    const confirmedBy = this.context.principal()?.id ?? null;
    const repo = this.dataSource.getRepository(OpeningTest);
    if (current.state === 'waiting') {
      await repo.insert({
        tenantId,
        product: PRODUCT,
        candidateAt: null,
        candidateNote: null,
        confirmedAt: at,
        confirmedBy,
      });
    } else await repo.update({ tenantId, product: PRODUCT }, { confirmedAt: at, confirmedBy });
    await this.audit.record({
      action: 'flexdplayer.opening-test.confirmed',
      target: tenantId,
      details: { confirmedAt: at.toISOString(), candidateAt: current.candidateAt?.toISOString() ?? null },
    });
    return this.get(tenantId);
  }
}

import { ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { CallSearchDto } from '../search/call-search.dto';

/** One export holds at most this many calls: beyond it the request is refused with a 400. */
export const EVIDENCE_MAX_CALLS = 2_000;
/**
 * Explicit ids per request: the ids travel in the job's params and the audit entry, both TEXT
 * columns (64 KiB on MySQL); 1,000 UUIDs as JSON take about 39 KiB.
 */
export const EVIDENCE_MAX_IDS = 1_000;

/** The search filters of GET /api/v1/calls, without paging (an export takes every match). */
export class EvidenceFilterDto extends OmitType(CallSearchDto, ['cursor', 'limit', 'sort'] as const) {}

/**
 * Body of POST /api/v1/evidence/exports: exactly one of `callIds`, `filter` or `number` (every call
 * with this number as caller or callee, in any Japanese format).
 */
export class EvidenceExportDto extends PickType(CallSearchDto, ['number'] as const) {
  @ApiPropertyOptional({ type: [String], maxItems: EVIDENCE_MAX_IDS })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVIDENCE_MAX_IDS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  callIds?: string[];

  @ApiPropertyOptional({ type: EvidenceFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceFilterDto)
  filter?: EvidenceFilterDto;
}

/** What the job is given (and the manifest records as `query`): the one selection that was made. */
export type EvidenceQuery = { callIds: string[] } | { filter: EvidenceFilterDto } | { number: string };

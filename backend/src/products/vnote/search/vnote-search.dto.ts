import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CallSearchDto } from '../../recordings/search/call-search.dto';

export const CALL_FLAGS = ['ng', 'competitor', 'missingRequired', 'any'] as const;
export type CallFlag = (typeof CALL_FLAGS)[number];

const count = () => [IsOptional(), Type(() => Number), IsInt(), Min(0)];
const apply = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators);

/**
 * Query string of GET /api/v1/vnote/search: every call filter of GET /api/v1/calls (the same DTO, so both
 * searches accept and refuse exactly the same filters), `q` as a transcript query, and keyword flags and
 * conversation-metric ranges. `q` is checked by the query parser, which names what is wrong with it.
 */
export class VnoteSearchDto extends OmitType(CallSearchDto, ['q'] as const) {
  @ApiPropertyOptional({ description: 'Transcript and notes query (docs/vnote/search-api.md)', maxLength: 200 })
  @IsOptional()
  @IsString()
  q?: string;
  @ApiPropertyOptional({ enum: CALL_FLAGS }) @IsOptional() @IsIn(CALL_FLAGS) flag?: CallFlag;
  @ApiPropertyOptional() @apply(...count()) minSilenceCount?: number;
  @ApiPropertyOptional() @apply(...count()) maxSilenceCount?: number;
  @ApiPropertyOptional({ maximum: 100 }) @apply(...count(), Max(100)) minOperatorTalkPercent?: number;
  @ApiPropertyOptional({ maximum: 100 }) @apply(...count(), Max(100)) maxOperatorTalkPercent?: number;
  @ApiPropertyOptional() @apply(...count()) minSpeechRate?: number;
  @ApiPropertyOptional() @apply(...count()) maxSpeechRate?: number;
  @ApiPropertyOptional() @apply(...count()) minOverlapCount?: number;
  @ApiPropertyOptional() @apply(...count()) maxOverlapCount?: number;
  @ApiPropertyOptional() @apply(...count()) minLongestMonologueSeconds?: number;
}

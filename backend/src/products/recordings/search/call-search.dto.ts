import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { CALL_SOURCES, CallSource, DIRECTIONS, Direction, DISPOSITIONS, Disposition } from '../call.entity';

const LOCAL_OR_ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Query string of GET /api/v1/calls: every filter optional, all combinable. */
export class CallSearchDto {
  @ApiPropertyOptional({
    description: 'Start of the range: YYYY-MM-DD[THH:mm] in the tenant time zone, or ISO with offset',
  })
  @IsOptional()
  @Matches(LOCAL_OR_ISO, { message: 'from must be YYYY-MM-DD or YYYY-MM-DDTHH:mm' })
  from?: string;
  @ApiPropertyOptional({ description: 'End of the range (a date alone includes that whole day)' })
  @IsOptional()
  @Matches(LOCAL_OR_ISO, { message: 'to must be YYYY-MM-DD or YYYY-MM-DDTHH:mm' })
  to?: string;
  @ApiPropertyOptional({ description: 'Any party number in any Japanese format: 03-1234-5678, +81 3…, ０３…' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(/^[0-9０-９+＋\s\-ー()（）]*$/, {
    message: 'number may contain digits, +, spaces, hyphens and brackets only',
  })
  number?: string;
  @ApiPropertyOptional({ enum: ['exact', 'prefix', 'suffix', 'contains'] })
  @IsOptional()
  @IsIn(['exact', 'prefix', 'suffix', 'contains'])
  numberMatch?: 'exact' | 'prefix' | 'suffix' | 'contains';
  @ApiPropertyOptional({ enum: DIRECTIONS }) @IsOptional() @IsIn(DIRECTIONS) direction?: Direction;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) extension?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) siteId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) lineId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) minTalkSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxTalkSeconds?: number;
  @ApiPropertyOptional({ enum: DISPOSITIONS }) @IsOptional() @IsIn(DISPOSITIONS) disposition?: Disposition;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) tag?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() hasNotes?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() legalHold?: boolean;
  @ApiPropertyOptional({ enum: CALL_SOURCES }) @IsOptional() @IsIn(CALL_SOURCES) source?: CallSource;
  @ApiPropertyOptional({ description: 'Free text over notes' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: ['desc', 'asc'] }) @IsOptional() @IsIn(['desc', 'asc']) sort?: 'desc' | 'asc';
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this server issued' })
  cursor?: string;
}

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CALL_SOURCES, CallSource, DIRECTIONS, Direction, DISPOSITIONS, Disposition } from '../call.entity';

export class IngestPartyDto {
  /** As the phone system gave it: 03-1234-5678, +81…, an extension, or anonymous. */
  @IsString() @MaxLength(64) number!: string;
  @IsOptional() @IsString() @MaxLength(100) name?: string;
}

/** The `metadata` part of an ingest upload (JSON), validated like any request body. */
export class IngestMetadataDto {
  /** The client's id: a re-sent upload with the same id returns the first result. */
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientRecordingId must be printable ASCII without spaces' })
  clientRecordingId!: string;
  @IsIn(CALL_SOURCES) source!: CallSource;
  @IsOptional() @IsString() @MaxLength(64) siteId?: string;
  @IsOptional() @IsString() @MaxLength(64) lineId?: string;
  @IsIn(DIRECTIONS) direction!: Direction;
  @ValidateNested() @Type(() => IngestPartyDto) caller!: IngestPartyDto;
  @ValidateNested() @Type(() => IngestPartyDto) callee!: IngestPartyDto;
  @IsOptional() @IsString() @MaxLength(32) extension?: string;
  @IsISO8601({ strict: true }) startedAt!: string;
  @IsOptional() @IsISO8601({ strict: true }) answeredAt?: string;
  @IsOptional() @IsISO8601({ strict: true }) endedAt?: string;
  @IsIn(DISPOSITIONS) disposition!: Disposition;
  @IsOptional() @IsString() @MaxLength(32) codec?: string;
  /** SHA-256 (hex) of the audio part exactly as sent: a mismatch stores nothing. */
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' }) sha256!: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(50, { each: true }) tags?: string[];
  @IsOptional() @IsString() @MaxLength(10_000) notes?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(1000) dtmf?: unknown[];
  @IsOptional() @IsObject() quality?: Record<string, unknown>;
}

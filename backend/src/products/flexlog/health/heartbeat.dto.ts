import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const MAX = Number.MAX_SAFE_INTEGER;

/** What a capture box reports every 10 s. Counters (drops) count since the capture started. */
export class HeartbeatDto {
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9) packetsPerSecond!: number;
  @ApiProperty({ description: 'packets the kernel dropped since the capture started' })
  @IsInt()
  @Min(0)
  @Max(MAX)
  kernelDrops!: number;
  @ApiProperty({ description: 'packets the interface dropped since the capture started' })
  @IsInt()
  @Min(0)
  @Max(MAX)
  interfaceDrops!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(1_000_000) activeCalls!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(MAX) spoolBytes!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(MAX) spoolCapacityBytes!: number;
  @ApiPropertyOptional({ nullable: true, description: 'when the last call was uploaded (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  lastUploadAt?: string | null;
  @ApiProperty({ example: '1.4.0' }) @IsString() @MaxLength(40) version!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(MAX) uptimeSeconds!: number;
  @ApiPropertyOptional({ description: 'finished calls in the spool not uploaded yet (sharpens the stall alert)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX)
  pendingUploads?: number | null;
}

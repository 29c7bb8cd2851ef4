import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PRESENCES, Presence } from './popup-routing.entities';

export class PresenceDto {
  @ApiProperty({ enum: PRESENCES, description: 'available = 受付中, away = 離席' })
  @IsIn(PRESENCES)
  presence!: Presence;
}

export class LineRefDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) siteId!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) lineName!: string;
}

export class LinesDto {
  @ApiProperty({ type: [LineRefDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LineRefDto)
  lines!: LineRefDto[];
}

export class CallMemoDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) siteId!: string;
  @ApiProperty({ description: 'The SIP Call-ID: `sipCallId` of the popup' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  sipCallId!: string;
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) text!: string;
}

export class CallMemoQueryDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) siteId!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) sipCallId!: string;
}

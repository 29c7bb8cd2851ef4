import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class SidecarRulesDto {
  @ApiPropertyOptional({ enum: ['auto', 'csv', 'json', 'xml', 'none'] })
  @IsOptional()
  @IsIn(['auto', 'csv', 'json', 'xml', 'none'])
  format?: 'auto' | 'csv' | 'json' | 'xml' | 'none';
  @ApiPropertyOptional() @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional({ example: { ownNumber: 'own_number', startedAt: 'start_time' } })
  @IsOptional()
  @IsObject()
  fields?: Record<string, string>;
  @ApiPropertyOptional({ example: ',' }) @IsOptional() @IsIn([',', ';', '\t', '|']) csvDelimiter?: string;
  @ApiPropertyOptional({ example: 'yyyy/MM/dd HH:mm:ss' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  timeFormat?: string;
}

export class DirectionValuesDto {
  @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(30, { each: true }) inbound!: string[];
  @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(30, { each: true }) outbound!: string[];
}

/** A mapping profile as an admin writes it; unset parts take the built-in default's. */
export class CreateMappingProfileDto {
  @ApiProperty({ example: 'ドコモ ビジネス通話録音' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ enum: ['tokens', 'regex'] }) @IsOptional() @IsIn(['tokens', 'regex']) patternKind?:
    'tokens' | 'regex';
  @ApiPropertyOptional({ nullable: true, example: '{own}_{other}_{yyyyMMddHHmmss}_{direction}' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  fileNamePattern?: string | null;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => SidecarRulesDto) sidecar?: SidecarRulesDto;
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => DirectionValuesDto)
  directionValues?: DirectionValuesDto;
  @ApiPropertyOptional({ example: 'Asia/Tokyo' }) @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
}

export class UpdateMappingProfileDto extends CreateMappingProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) declare name: string;
}

/** "Test against a sample": a file name, optionally a sidecar's name and content. */
export class TestMappingDto {
  @ApiProperty({ example: '09012345678_0312345678_20261124093000_out.wav' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  fileName!: string;
  @ApiPropertyOptional({ example: '09012345678_0312345678_20261124093000_out.csv' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  sidecarName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256 * 1024) sidecarContent?: string;
  /** Unsaved rules to try instead of the stored profile's (the editor's "test" before saving). */
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateMappingProfileDto)
  profile?: CreateMappingProfileDto;
}

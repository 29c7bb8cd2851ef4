import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class SiteLineDto {
  @ApiProperty({ example: '東京店' }) @IsString() @MinLength(1) @MaxLength(50) name!: string;
  @ApiPropertyOptional({ example: ['03-1234-5678'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  numbers?: string[];
  @ApiPropertyOptional({ example: ['203.0.113.10'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  trunks?: string[];
}

/** What a tenant admin says about a site; semantic checks (CIDR, patterns, URL) are in site-rules.ts. */
export class CreateSiteDto {
  @ApiProperty({ example: '東京本社' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ nullable: true, example: '東京都千代田区 3F サーバー室' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;
  @ApiPropertyOptional({ example: ['192.168.0.0/16', 'fd00::/8'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  internalNetworks?: string[];
  @ApiPropertyOptional({ example: ['200-299', '3xxx'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  extensionPatterns?: string[];
  @ApiPropertyOptional({ type: [SiteLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SiteLineDto)
  lines?: SiteLineDto[];
  /** The capture sends a heartbeat every 10 s: less than two of them missed is not an outage. */
  @ApiPropertyOptional({ default: 60 }) @IsOptional() @IsInt() @Min(20) @Max(86_400) offlineAfterSeconds?: number;
  @ApiPropertyOptional({ default: 100, description: 'dropped packets per minute' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  dropAlertThreshold?: number;
  @ApiPropertyOptional({ nullable: true, example: 'https://hooks.example.jp/flexlog' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  webhookUrl?: string | null;
}

export class UpdateSiteDto extends PartialType(CreateSiteDto) {}

export class CreateSiteApiKeyDto {
  @ApiProperty({ example: '東京本社 capture 1' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** Shapes only; URL and event-type rules are checked in webhook-rules.ts so every problem is named at once. */
export class CreateWebhookDto {
  @ApiProperty({ example: 'CRM 連携' }) @IsString() @MaxLength(100) name!: string;
  @ApiProperty({ example: 'https://crm.example.jp/hooks/calls' }) @IsString() url!: string;
  @ApiProperty({ example: ['call.ringing', 'call.ended'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events!: string[];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() url?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

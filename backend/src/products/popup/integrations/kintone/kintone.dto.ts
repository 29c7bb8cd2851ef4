import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Shapes only; the rules are in kintone-rules.ts so every problem is named at once. */
export class PutKintoneDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiProperty({ example: 'https://example.cybozu.com' }) @IsString() baseUrl!: string;
  @ApiProperty({ example: 12 }) @IsInt() appId!: number;
  @ApiPropertyOptional({ description: 'Required the first time; omitted afterwards: the saved token stays.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  apiToken?: string;
  @ApiProperty({ example: '電話番号' }) @IsString() phoneField!: string;
  @ApiProperty({ example: { name: '顧客名', company: '会社名', rank: 'ランク' } }) @IsObject() mapping!: Record<
    string,
    string
  >;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() historyEnabled?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() historyAppId?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) historyApiToken?: string;
  @ApiPropertyOptional({ example: { number: '電話番号', endedAt: '終了日時', talkSeconds: '通話秒数' } })
  @IsOptional()
  @IsObject()
  historyMapping?: Record<string, string>;
  @ApiPropertyOptional({ default: 2000 }) @IsOptional() @IsInt() timeoutMs?: number;
  @ApiPropertyOptional({ default: 300 }) @IsOptional() @IsInt() cacheTtlSeconds?: number;
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_NUMBERS, MAX_TAGS } from './customer-input';

/** Lengths and formats are checked by checkCustomer, the same rules a CSV row meets. */
export class CreateCustomerDto {
  @ApiProperty({ example: '山田 太郎' }) @IsString() @MaxLength(1000) name!: string;
  @ApiPropertyOptional({ nullable: true, example: 'やまだ たろう' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  kana?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '株式会社山田商事' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  company?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '営業部' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  department?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'a rank code or label of the tenant', example: 'VIP' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  rank?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['得意先'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS * 2)
  @IsString({ each: true })
  tags?: string[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(10_000) memo?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['03-1234-5678', '090-1111-2222'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NUMBERS * 2)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  numbers?: string[];
  @ApiPropertyOptional({ description: 'custom field key -> value (null removes it)', example: { memberNo: '1234' } })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, string | number | null>;
  @ApiPropertyOptional({ nullable: true, example: 'C-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  externalId?: string | null;
}

export class UpdateCustomerDto extends PartialType(CreateCustomerDto) {}

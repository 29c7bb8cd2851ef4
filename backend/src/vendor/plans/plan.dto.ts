import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { BILLING_PRODUCTS, BillingProduct } from '../billing/contract';

/** Fees up to a billion yen a month: far above any plan, and an invoice's sums stay within an int column. */
export const MAX_FEE = 1_000_000_000;

export class CreatePlanDto {
  @ApiProperty({ example: 'S' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, { message: 'code must be 1-20 letters, digits, - or _' })
  code!: string;
  @ApiProperty({ example: 'スタンダード' }) @IsString() @MinLength(1) @MaxLength(100) nameJa!: string;
  @ApiProperty({ example: 'Standard' }) @IsString() @MinLength(1) @MaxLength(100) nameEn!: string;
  @ApiProperty({ enum: BILLING_PRODUCTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(BILLING_PRODUCTS, { each: true })
  products!: BillingProduct[];
  @ApiProperty({ description: 'recording capacity in GB (10^9 bytes)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacityGb!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(MAX_FEE) monthlyFee!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(MAX_FEE) initialFee!: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdatePlanDto extends PartialType(CreatePlanDto) {}

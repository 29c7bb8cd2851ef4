import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsCivilDate } from '../vendor-console';
import { BILLING_CYCLES, BILLING_PRODUCTS, BillingCycle, BillingProduct } from '../billing/contract';

export class CreateContractDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty({ enum: BILLING_PRODUCTS }) @IsIn(BILLING_PRODUCTS) product!: BillingProduct;
  @ApiProperty() @IsUUID() planId!: string;
  @ApiProperty({ enum: BILLING_CYCLES }) @IsIn(BILLING_CYCLES) billingCycle!: BillingCycle;
  @ApiPropertyOptional({ type: [String], description: 'serial numbers of the rental equipment' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  equipment?: string[];
  @ApiProperty({ example: '2026-03-01' }) @IsCivilDate() appliedOn!: string;
  @ApiPropertyOptional({ example: '2026-03-14' })
  @IsOptional()
  @IsCivilDate()
  openingTestOn?: string;
}

export class OpeningTestDto {
  @ApiProperty({ example: '2026-03-14' }) @IsCivilDate() openingTestOn!: string;
}

export class PlanChangeDto {
  @ApiProperty() @IsUUID() planId!: string;
  @ApiProperty({ example: '2026-05-11' }) @IsCivilDate() effectiveOn!: string;
}

export class CancellationDto {
  @ApiProperty({ example: '2026-07-05' }) @IsCivilDate() requestedOn!: string;
}

export class EquipmentReturnDto {
  @ApiProperty({ example: '2026-09-20' }) @IsCivilDate() returnedOn!: string;
}

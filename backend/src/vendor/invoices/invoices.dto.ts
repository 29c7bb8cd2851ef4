import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCivilDate } from '../vendor-console';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class IssueMonthDto {
  @ApiProperty({ example: '2026-10' }) @Matches(MONTH, { message: 'month must be YYYY-MM' }) month!: string;
  @ApiPropertyOptional({ description: 'default today (Japan); not before the month is over, not after today' })
  @IsOptional()
  @IsCivilDate()
  issueDate?: string;
}

export class InvoiceFilterDto {
  @ApiPropertyOptional() @IsOptional() @Matches(MONTH, { message: 'month must be YYYY-MM' }) month?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'tenantId must be a UUID' })
  tenantId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'contractId must be a UUID' })
  contractId?: string;
}

export class PaymentDto {
  @ApiProperty({ example: 'INV-2026-000001' }) @IsString() @MinLength(1) @MaxLength(20) invoiceNumber!: string;
  @ApiProperty({ example: '2026-05-12' }) @IsCivilDate() paidOn!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(10_000_000_000) amount!: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) payerName!: string;
}

export class BankCsvDto {
  @ApiProperty({ description: 'the CSV text: date,amount,payerName,invoiceNumber (docs/billing.md)' })
  @IsString()
  @MinLength(1)
  @MaxLength(2_000_000)
  csv!: string;
}

export class ReceivablesQueryDto {
  @ApiPropertyOptional({ description: 'default today (Japan)' }) @IsOptional() @IsCivilDate() asOf?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'tenantId must be a UUID' })
  tenantId?: string;
}

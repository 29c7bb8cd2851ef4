import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AuditService } from '../../core/audit/audit.service';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { fieldError } from '../../platform/http/field-errors';

export const INVOICE_ISSUER_SETTING = 'vendor.invoiceIssuer';

/** The vendor as the issuer of qualified invoices (適格請求書発行事業者). */
export class InvoiceIssuerDto {
  @ApiProperty({ example: '株式会社サンプル' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'T1234567890123', description: '登録番号: T and 13 digits' })
  @Matches(/^T\d{13}$/, { message: 'registrationNumber must be T followed by 13 digits (登録番号)' })
  registrationNumber!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional({ description: 'bank account printed as 振込先' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  bankAccount?: string;
}

export type InvoiceIssuer = InvoiceIssuerDto;

/** Where the issuer's particulars live: an installation setting, edited in the vendor console. */
@Injectable()
export class InvoiceIssuerSettings {
  constructor(
    private readonly settings: SystemSettingsService,
    private readonly audit: AuditService,
  ) {}

  get(): Promise<InvoiceIssuer | null> {
    return this.settings.get<InvoiceIssuer>(INVOICE_ISSUER_SETTING);
  }

  /** The issuer, or a 400 saying it must be set before any invoice is issued. */
  async required(): Promise<InvoiceIssuer> {
    const issuer = await this.get();
    if (!issuer) {
      throw fieldError(
        'issuer',
        'set the invoice issuer (name, registration number) first: PUT /api/v1/vendor/invoice-issuer',
      );
    }
    return issuer;
  }

  async set(dto: InvoiceIssuerDto): Promise<InvoiceIssuer> {
    const issuer: InvoiceIssuer = {
      name: dto.name,
      registrationNumber: dto.registrationNumber,
      address: dto.address,
      phone: dto.phone,
      bankAccount: dto.bankAccount,
    };
    await this.settings.set(INVOICE_ISSUER_SETTING, issuer);
    await this.audit.record({ action: 'vendor.invoiceIssuer.updated', details: { ...issuer } });
    return issuer;
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../core/auth/auth.decorators';
import { fieldError } from '../../../platform/http/field-errors';
import { CreateCustomerDto, UpdateCustomerDto } from './customer.dto';
import { CustomersService } from './customers.service';
import { CustomerExport, EXPORT_ENCODINGS, ExportEncoding } from './export/customer-export';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** Tenant admins and supervisors keep the directory; operators read it (the popup, 該当者なし search). */
export const DIRECTORY_WRITERS = ['tenantAdmin', 'supervisor'] as const;
export const DIRECTORY_READERS = [...DIRECTORY_WRITERS, 'operator'] as const;

function positive(value: string | undefined, field: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw fieldError(field, `a whole number from 1 to ${max}`);
  return n;
}

@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly exporter: CustomerExport,
  ) {}

  /** `?q=` matches name, company, kana (ひらがな = カタカナ) or any digits of a number; `?page=&pageSize=`. */
  @Get()
  @Roles(...DIRECTORY_READERS)
  list(@Query('q') q?: string, @Query('page') page?: string, @Query('pageSize') pageSize?: string) {
    if (q !== undefined && q.length > 200) throw fieldError('q', 'at most 200 characters');
    return this.customers.search(q, positive(page, 'page', 1, 100_000), positive(pageSize, 'pageSize', 50, 200));
  }

  /** The customers having a number (any spelling: 03-1234-5678, +81312345678…), as popup cards. */
  @Get('match')
  @Roles(...DIRECTORY_READERS)
  match(@Query('number') number?: string) {
    if (!number?.trim()) throw fieldError('number', 'is required');
    return this.customers.matchNumber(number.trim());
  }

  /** CSV for Excel: `?encoding=utf-8-bom` (default) or `shift_jis`. */
  @Get('export.csv')
  @Roles(...DIRECTORY_WRITERS)
  async exportCsv(@Query('encoding') encoding: string | undefined, @Res() res: Response) {
    const chosen = (encoding ?? 'utf-8-bom') as ExportEncoding;
    if (!EXPORT_ENCODINGS.includes(chosen)) throw fieldError('encoding', `one of ${EXPORT_ENCODINGS.join(', ')}`);
    const charset = chosen === 'shift_jis' ? 'Shift_JIS' : 'utf-8';
    res.setHeader('Content-Type', `text/csv; charset=${charset}`);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="customers-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    await this.exporter.write(chosen, (chunk) => res.write(chunk));
    res.end();
  }

  @Get(':id')
  @Roles(...DIRECTORY_READERS)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.customers.get(id);
  }

  @Post()
  @Roles(...DIRECTORY_WRITERS)
  create(@Body() dto: CreateCustomerDto) {
    return this.customers.create(dto);
  }

  @Patch(':id')
  @Roles(...DIRECTORY_WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCustomerDto) {
    return this.customers.update(id, dto);
  }

  @Delete(':id')
  @Roles(...DIRECTORY_WRITERS)
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.customers.remove(id);
  }
}

import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../../../../core/audit/audit.service';
import { InjectTenantRepository, TenantRepository } from '../../../../core/tenancy/tenant-repository';
import { Customer, CustomerNumber } from '../customer.entities';
import { storedValues } from '../customer-view';
import { DirectorySettingsService } from '../directory-settings.service';
import { csvCell, encodeCsv } from '../import/csv-text';
import { normaliseNumber } from '../../../recordings/phone-number';

const PAGE = 1000;
export const EXPORT_ENCODINGS = ['utf-8-bom', 'shift_jis'] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];

/**
 * The tenant's customers as CSV for Excel: UTF-8 with BOM (Excel 2016+ reads it as UTF-8) or
 * Shift_JIS (older Excel), CRLF. Headers are the ones the import suggests a mapping for, so an
 * exported file re-imports as it is (by 顧客ID or by number).
 */
@Injectable()
export class CustomerExport {
  constructor(
    @InjectTenantRepository(Customer) private readonly customers: TenantRepository<Customer>,
    @InjectTenantRepository(CustomerNumber) private readonly numbers: TenantRepository<CustomerNumber>,
    private readonly settings: DirectorySettingsService,
    private readonly audit: AuditService,
  ) {}

  /** Writes the file chunk by chunk (a page of customers each) and returns the row count. */
  async write(encoding: ExportEncoding, out: (chunk: Buffer) => void): Promise<number> {
    const rules = await this.settings.rules();
    const widest = await this.numbers
      .query('n')
      .select('COUNT(*)', 'count')
      .groupBy('n.customerId')
      .orderBy('count', 'DESC')
      .limit(1)
      .getRawOne<{ count: string | number }>();
    const phoneColumns = Math.max(1, Number(widest?.count ?? 1));
    const header = [
      '顧客ID',
      '氏名',
      'フリガナ',
      '会社名',
      '部署',
      'ランク',
      'タグ',
      'メモ',
      ...Array.from({ length: phoneColumns }, (_, i) => `電話番号${i + 1}`),
      ...rules.fields.map((f) => f.label),
    ];
    const line = (cells: Array<string | null>) => cells.map(csvCell).join(',') + '\r\n';
    // Only the first chunk carries the BOM; Shift_JIS has none.
    out(encodeCsv(line(header), encoding));
    const body = (text: string) =>
      encoding === 'shift_jis' ? encodeCsv(text, 'shift_jis') : Buffer.from(text, 'utf8');
    let after = '';
    let rows = 0;
    for (;;) {
      const page = await this.customers
        .query('c')
        .andWhere('c.id > :after', { after })
        .orderBy('c.id', 'ASC')
        .take(PAGE)
        .getMany();
      if (!page.length) break;
      const numbers = await this.numbers.find({ where: { customerId: In(page.map((c) => c.id)) } });
      let text = '';
      for (const c of page) {
        const v = storedValues(c, numbers);
        const phones = v.numbers.map((n) => normaliseNumber(n.e164).display);
        text += line([
          v.externalId,
          v.name,
          v.kana,
          v.company,
          v.department,
          v.rankCode,
          v.tags.join('、'),
          v.memo,
          ...Array.from({ length: phoneColumns }, (_, i) => phones[i] ?? ''),
          ...rules.fields.map((f) => v.customFields[f.key] ?? ''),
        ]);
      }
      out(body(text));
      rows += page.length;
      after = page[page.length - 1].id;
    }
    await this.audit.record({ action: 'popup.customers.exported', details: { rows, encoding } });
    return rows;
  }
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../../core/audit/audit.service';
import { InjectTenantRepository, TenantRepository } from '../../../../core/tenancy/tenant-repository';
import { fieldError } from '../../../../platform/http/field-errors';
import { CustomerImportMapping } from './customer-import.entities';
import type { ImportMapping } from './import-mapping';

export interface SavedMapping extends ImportMapping {
  name: string;
  updatedAt: Date;
}

const view = (row: CustomerImportMapping): SavedMapping => ({
  name: row.name,
  ...(JSON.parse(row.mapping) as ImportMapping),
  updatedAt: row.updatedAt,
});

/** Column mappings the tenant saved by name ("基幹システム", "名刺アプリ"…) for its recurring files. */
@Injectable()
export class ImportMappingsService {
  constructor(
    @InjectTenantRepository(CustomerImportMapping) private readonly rows: TenantRepository<CustomerImportMapping>,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<SavedMapping[]> {
    return (await this.rows.find({ order: { name: 'ASC' } })).map(view);
  }

  async get(name: string): Promise<SavedMapping> {
    return view(await this.rows.get({ name }));
  }

  async save(name: string, mapping: ImportMapping): Promise<SavedMapping> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw fieldError('name', '1-100 characters');
    for (const [header, target] of Object.entries(mapping.columns))
      if (typeof target !== 'string') throw fieldError(`columns.${header}`, 'must be a string');
    const row = (await this.rows.findOne({ name: trimmed })) ?? this.rows.create({ id: randomUUID(), name: trimmed });
    row.mapping = JSON.stringify({ columns: mapping.columns, key: mapping.key });
    row.updatedAt = new Date();
    await this.rows.save(row);
    await this.audit.record({
      action: 'popup.customer-import-mapping.saved',
      target: row.id,
      details: { name: trimmed },
    });
    return view(row);
  }

  async remove(name: string): Promise<void> {
    const row = await this.rows.get({ name });
    await this.rows.remove(row);
    await this.audit.record({ action: 'popup.customer-import-mapping.deleted', target: row.id, details: { name } });
  }
}

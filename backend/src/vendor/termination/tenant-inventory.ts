import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { tenantPrefix } from '../../platform/storage/object-storage';
import { RecordingVault } from '../../products/recordings/vault/recording-vault';

/** Tables of the vendor's own records: kept at contract end (Art. 12.4 deletes the customer's data only). */
export const VENDOR_TABLE_PREFIX = 'vendor_';
/** Destroyed by the key step (overwritten, then removed), not by the row step. */
export const TENANT_KEYS_TABLE = 'tenant_keys';

export interface CountAndBytes {
  count: number;
  bytes: number;
}

/** What a tenant holds: stored objects by category (the key's first part after the tenant), rows by table. */
export interface TenantInventory {
  objects: Record<string, CountAndBytes>;
  files: CountAndBytes;
  rows: Record<string, number>;
  dataKeys: number;
}

/**
 * Every table holding a tenant's rows: each entity with a tenantId column, found from the schema so a
 * table added later is shredded without anyone remembering to list it. Kept: the vendor's tables.
 */
export function tenantOwnedTables(dataSource: DataSource): string[] {
  return dataSource.entityMetadatas
    .filter((e) => e.columns.some((c) => c.propertyName === 'tenantId'))
    .map((e) => e.tableName)
    .filter((name) => !name.startsWith(VENDOR_TABLE_PREFIX))
    .sort();
}

/** FlexDPlayer deliveries of one tenant: `<DATA_DIR>/flexdplayer/<tenantId>` (see FlexdPaths). */
export function flexdplayerDir(dataDir: string, tenantId: string): string {
  return join(dataDir, 'flexdplayer', tenantId);
}

/** Counts what contract end would delete, without deleting anything (the preview and the certificate). */
@Injectable()
export class TenantInventoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: RecordingVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async take(tenantId: string): Promise<TenantInventory> {
    const rows: Record<string, number> = {};
    for (const table of tenantOwnedTables(this.dataSource)) {
      if (table === TENANT_KEYS_TABLE) continue;
      rows[table] = await this.countRows(table, tenantId);
    }
    return {
      objects: await this.objects(tenantId),
      files: await filesUnder(flexdplayerDir(this.config.dataDir, tenantId)),
      rows,
      dataKeys: await this.countRows(TENANT_KEYS_TABLE, tenantId),
    };
  }

  async countRows(table: string, tenantId: string): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: string | number }>>(
      `SELECT COUNT(*) AS n FROM ${this.dataSource.driver.escape(table)} WHERE ${this.dataSource.driver.escape('tenantId')} = ?`,
      [tenantId],
    );
    return Number(row.n);
  }

  private async objects(tenantId: string): Promise<Record<string, CountAndBytes>> {
    const storage = await this.vault.objectStorage();
    const prefix = tenantPrefix(tenantId);
    const byCategory: Record<string, CountAndBytes> = {};
    for await (const entry of storage.list(prefix)) {
      const category = entry.key.slice(prefix.length).split('/')[0];
      const tally = (byCategory[category] ??= { count: 0, bytes: 0 });
      tally.count += 1;
      tally.bytes += entry.bytes;
    }
    return byCategory;
  }
}

/** Regular files below dir (absent dir: none). Symbolic links are counted, not followed. */
export async function filesUnder(dir: string): Promise<CountAndBytes> {
  const total: CountAndBytes = { count: 0, bytes: 0 };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return total;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    total.count += 1;
    if (entry.isFile()) total.bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export function sumOf(tallies: Record<string, CountAndBytes>): CountAndBytes {
  return Object.values(tallies).reduce((a, b) => ({ count: a.count + b.count, bytes: a.bytes + b.bytes }), {
    count: 0,
    bytes: 0,
  });
}

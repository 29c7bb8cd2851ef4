import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CivilDate } from '../billing/civil-date';
import { tokyoDateOf } from '../vendor-console';

/**
 * The opening test (開通試験) a product recorded and an administrator confirmed, read from the shared
 * `opening_tests` table (FlexDPlayer writes it; FlexLog may write its own row the same way). Only the
 * table is shared: the contracts side does not depend on the product's module.
 */
@Injectable()
export class OpeningTestDates {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The confirmed test's date in Japan, or null when the product has none confirmed. */
  async confirmedOn(tenantId: string, product: string): Promise<CivilDate | null> {
    const rows = await this.dataSource.query<Array<{ confirmedAt: Date | string | null }>>(
      'SELECT confirmedAt FROM opening_tests WHERE tenantId = ? AND product = ?',
      [tenantId, product.toLowerCase()],
    );
    const at = rows[0]?.confirmedAt;
    if (!at) return null;
    // mysql2 answers a Date; SQLite the stored UTC text 'YYYY-MM-DD HH:MM:SS.mmm'.
    return tokyoDateOf(at instanceof Date ? at : new Date(`${at.replace(' ', 'T')}Z`));
  }
}

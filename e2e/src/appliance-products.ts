import Database from 'better-sqlite3';
import * as path from 'node:path';

/**
 * The products of the e2e appliance's only tenant. The wizard (appliance.e2e.spec.ts) enables FlexLog
 * and 応対力 and checks that; a single-mode appliance has no API to change products afterwards, so a
 * spec that needs another product sets it in the database and puts the list back. The backend reads
 * products per request, so the change applies at once. Answers the list as it was.
 */
export function setApplianceProducts(change: (products: string[]) => string[]): string[] {
  const db = new Database(path.join(process.env['E2E_DATA_DIR'] as string, 'appliance.sqlite'));
  try {
    const row = db.prepare('SELECT id, products FROM tenants').get() as { id: string; products: string };
    const before = row.products.split(',').filter(Boolean);
    db.prepare('UPDATE tenants SET products = ? WHERE id = ?').run(change(before).join(','), row.id);
    return before;
  } finally {
    db.close();
  }
}

/** Adds a product (no-op when present) and answers the list as it was, for setApplianceProducts to restore. */
export const addApplianceProduct = (product: string): string[] =>
  setApplianceProducts((p) => [...new Set([...p, product])]);

/** Runs `work` with `product` enabled, then puts the products back as they were. */
export async function withApplianceProduct<T>(product: string, work: () => Promise<T>): Promise<T> {
  const before = addApplianceProduct(product);
  try {
    return await work();
  } finally {
    setApplianceProducts(() => before);
  }
}

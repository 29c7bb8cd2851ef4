import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { Customer, CustomerNumber } from './customer.entities';
import type { CustomerValues } from './customer-input';
import { customerColumns } from './customer-view';

export interface CustomerWrite {
  id: string;
  /** false: the row exists and is replaced by these values. */
  isNew: boolean;
  values: CustomerValues;
  /** Kept for an update; now for a new customer. */
  createdAt?: Date;
}

/** Rows per statement: 14 columns x 400 stays far below SQLite's and MySQL's placeholder limits. */
const BATCH = 400;

/**
 * Writes customers and their numbers in the caller's transaction, a batch per statement: the API
 * writes one, an import a hundred thousand. An update replaces the customer's numbers whole.
 */
export async function writeCustomers(
  m: EntityManager,
  tenantId: string,
  writes: CustomerWrite[],
  onBatch?: (done: number) => Promise<void>,
): Promise<void> {
  const now = new Date();
  for (let start = 0; start < writes.length; start += BATCH) {
    const batch = writes.slice(start, start + BATCH);
    const rows = (w: CustomerWrite) => ({
      id: w.id,
      tenantId,
      ...customerColumns(w.values),
      createdAt: w.createdAt ?? now,
      updatedAt: now,
    });
    const fresh = batch.filter((w) => w.isNew);
    const updated = batch.filter((w) => !w.isNew);
    if (fresh.length) await m.insert(Customer, fresh.map(rows));
    if (updated.length) {
      // Keyed on the primary key only: callers have checked that no unique externalId collides.
      await m.upsert(Customer, updated.map(rows), { conflictPaths: ['id'], skipUpdateIfNoValuesChanged: false });
      await m.delete(CustomerNumber, { tenantId, customerId: In(updated.map((w) => w.id)) });
    }
    const numbers = batch.flatMap((w) =>
      w.values.numbers.map((n, position) => ({
        id: randomUUID(),
        tenantId,
        customerId: w.id,
        raw: n.raw,
        e164: n.e164,
        digits: n.digits,
        position,
      })),
    );
    for (let i = 0; i < numbers.length; i += BATCH) await m.insert(CustomerNumber, numbers.slice(i, i + BATCH));
    await onBatch?.(Math.min(start + BATCH, writes.length));
  }
}

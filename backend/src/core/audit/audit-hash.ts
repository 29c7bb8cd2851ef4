import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.entity';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields covered by the chain, in a fixed order; time at millisecond precision in UTC. */
export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    entry.id,
    entry.chain,
    entry.seq,
    entry.tenantId,
    new Date(entry.time).toISOString(),
    entry.actorId,
    entry.actorEmail,
    entry.action,
    entry.target,
    entry.ip,
    entry.details,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { RequestContext } from '../tenancy/request-context';
import { AuditEntry } from './audit-entry.entity';
import { auditHash, GENESIS_HASH } from './audit-hash';

export interface AuditEvent {
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the request's tenant; null for events that belong to no tenant. */
  tenantId?: string | null;
  actorId?: string | null;
  actorEmail?: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; reason: string };
}

/**
 * `%` and `_` in a typed prefix are the characters themselves, not wildcards. The escape is `!`:
 * a backslash would need doubling in MariaDB's string literals but not in SQLite's.
 */
const likeEscape = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * Append-only, hash-chained audit log: each entry's hash covers its fields and the previous
 * entry's hash in the same chain (one chain per tenant), so an edited, removed or reordered row
 * breaks every link after it. Appends are serialised per chain in this process, and the unique
 * (chain, seq) index turns a race between processes into a retry instead of a fork.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly entries: Repository<AuditEntry>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {
    this.entries = dataSource.getRepository(AuditEntry);
  }

  record(event: AuditEvent): Promise<AuditEntry> {
    const principal = this.context.principal();
    const tenantId = event.tenantId !== undefined ? event.tenantId : (this.context.currentTenantId() ?? null);
    const chain = tenantId ?? 'system';
    const previous = this.tails.get(chain) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() =>
        this.appendWithRetry(chain, {
          tenantId,
          actorId: event.actorId !== undefined ? event.actorId : (principal?.id ?? null),
          actorEmail: event.actorEmail !== undefined ? event.actorEmail : (principal?.email ?? null),
          action: event.action,
          target: event.target ?? null,
          ip: this.context.ip() ?? null,
          details: event.details ? JSON.stringify(event.details) : null,
        }),
      );
    this.tails.set(chain, next);
    return next;
  }

  private async appendWithRetry(chain: string, fields: Partial<AuditEntry>, attempt = 0): Promise<AuditEntry> {
    try {
      return await this.append(chain, fields);
    } catch (error) {
      if (attempt < 5 && /duplicate|unique/i.test((error as Error).message)) {
        return this.appendWithRetry(chain, fields, attempt + 1);
      }
      this.logger.error(`audit append failed: ${(error as Error).message}`);
      throw error;
    }
  }

  private async append(chain: string, fields: Partial<AuditEntry>): Promise<AuditEntry> {
    const last = await this.entries.findOne({ where: { chain }, order: { seq: 'DESC' } });
    const entry = {
      id: randomUUID(),
      chain,
      seq: (last?.seq ?? 0) + 1,
      time: new Date(),
      prevHash: last?.hash ?? GENESIS_HASH,
      ...fields,
    } as AuditEntry;
    entry.hash = auditHash(entry);
    await this.entries.insert(entry);
    return entry;
  }

  async list(
    tenantId: string,
    filter: {
      action?: string;
      actorId?: string;
      actorEmail?: string;
      target?: string;
      from?: Date;
      to?: Date;
      limit: number;
      beforeSeq?: number;
    },
  ) {
    const qb = this.entries
      .createQueryBuilder('a')
      .where('a.chain = :chain', { chain: tenantId })
      .orderBy('a.seq', 'DESC')
      .take(filter.limit + 1);
    if (filter.action?.endsWith('*')) {
      qb.andWhere("a.action LIKE :prefix ESCAPE '!'", { prefix: `${likeEscape(filter.action.slice(0, -1))}%` });
    } else if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.actorEmail?.trim()) {
      qb.andWhere('LOWER(a.actorEmail) = :actorEmail', { actorEmail: filter.actorEmail.trim().toLowerCase() });
    }
    if (filter.target) qb.andWhere('a.target = :target', { target: filter.target });
    if (filter.from) qb.andWhere('a.time >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.time < :to', { to: filter.to });
    if (filter.beforeSeq) qb.andWhere('a.seq < :before', { before: filter.beforeSeq });
    const rows = await qb.getMany();
    const items = rows.slice(0, filter.limit);
    return { items, nextBefore: rows.length > filter.limit ? items[items.length - 1].seq : null };
  }

  /** Walks one chain in pages, recomputing every hash; reports the first entry that does not fit. */
  async verify(chain: string): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const page = await this.entries.find({
        where: { chain },
        order: { seq: 'ASC' },
        skip: checked,
        take: 1000,
      });
      for (const row of page) {
        const broken = (reason: string): VerifyResult => ({
          ok: false,
          checked,
          firstBroken: { seq: row.seq, id: row.id, reason },
        });
        if (row.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}, found ${row.seq}`);
        if (row.prevHash !== prevHash) return broken('previous-hash link does not match the entry before it');
        if (auditHash(row) !== row.hash) return broken('content does not match its hash (entry was altered)');
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (page.length < 1000) return { ok: true, checked, firstBroken: null };
    }
  }
}

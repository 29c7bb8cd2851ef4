import type { Logger } from '@nestjs/common';
import type { NormalisedNumber } from '../../recordings/phone-number';
import type { ExternalCard } from './external-cards';

const MAX_ENTRIES = 10_000;

/**
 * Recent external lookups per tenant and number, so a number calling again (or ringing several
 * PCs, or a busy reconnect) does not ask the CRM again within the tenant's TTL. Bounded: the
 * oldest entries go first. `forget(tenantId)` drops a tenant's entries when its settings change.
 */
export class CardCache {
  private readonly entries = new Map<string, { expires: number; cards: ExternalCard[] }>();
  private readonly generations = new Map<string, number>();

  get(tenantId: string, number: string): ExternalCard[] | undefined {
    const key = this.key(tenantId, number);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.cards;
  }

  set(tenantId: string, number: string, cards: ExternalCard[], ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(this.key(tenantId, number), { expires: Date.now() + ttlSeconds * 1000, cards });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
  }

  private key(tenantId: string, number: string): string {
    return `${tenantId}:${this.generations.get(tenantId) ?? 0}:${number}`;
  }
}

/** What one connector lookup answered, as far as the popup's cached path needs it. */
export interface CardLookupOutcome {
  ok: boolean;
  durationMs: number;
  cards: ExternalCard[];
  error: string | null;
}

/** How the popup asks one external connector (kintone, the lookup hook) for a caller's cards. */
export interface CachedCardSource<Row extends { enabled: boolean; cacheTtlSeconds: number }> {
  /** Names the connector in the warning, e.g. "kintone lookup". */
  label: string;
  cache: CardCache;
  logger: Logger;
  load: (tenantId: string) => Promise<Row | null>;
  lookup: (row: Row, number: NormalisedNumber) => Promise<CardLookupOutcome>;
}

/**
 * The popup's cards from one connector: [] for a withheld number, when the connector is off, or when
 * its lookup fails (logged: a broken CRM must not hold up the popup); answers are cached for its TTL.
 */
export async function cachedConnectorCards<Row extends { enabled: boolean; cacheTtlSeconds: number }>(
  source: CachedCardSource<Row>,
  tenantId: string,
  number: NormalisedNumber,
): Promise<ExternalCard[]> {
  if (number.withheld || !number.digits) return [];
  const row = await source.load(tenantId);
  if (!row?.enabled) return [];
  const cached = source.cache.get(tenantId, number.digits);
  if (cached) return cached;
  const result = await source.lookup(row, number);
  if (!result.ok) {
    source.logger.warn(`${source.label} of tenant ${tenantId} failed after ${result.durationMs} ms: ${result.error}`);
    return [];
  }
  source.cache.set(tenantId, number.digits, result.cards, row.cacheTtlSeconds);
  return result.cards;
}

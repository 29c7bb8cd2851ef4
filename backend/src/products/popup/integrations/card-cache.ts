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

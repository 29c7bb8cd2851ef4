import type Redis from 'ioredis';
import type { PopupCall, PopupUser } from './popup-protocol';

/** A call between ringing and ended, with the users it pops up for. */
export interface RingingCall {
  tenantId: string;
  call: PopupCall;
  targets: string[];
  answeredBy: PopupUser | null;
  answeredAt: string | null;
  endedAt: string | null;
}

/** A call whose end was never seen (the BYE was lost) stops being offered after this long. */
export const STALE_MS = 12 * 3600 * 1000;
/** An ended call stays known this long, so a memo typed after hang-up still finds it. */
export const RECENT_MS = 2 * 3600 * 1000;
const MAX_OPEN_PER_TENANT = 10_000;
const MAX_RECENT_PER_TENANT = 50_000;

/**
 * The calls still ringing (or answered, not ended) per tenant: a client that reconnects gets
 * them again. In Redis when configured, so any backend instance can answer the reconnect.
 */
export const RINGING_CALLS = Symbol('RINGING_CALLS');

export interface RingingCalls {
  open(entry: RingingCall): Promise<void>;
  /** A call in progress or ended within RECENT_MS. */
  find(tenantId: string, key: string): Promise<RingingCall | null>;
  /** Moves the call to the recently ended ones. */
  close(tenantId: string, key: string, endedAt: string): Promise<RingingCall | null>;
  /** The tenant's calls in progress, oldest ring first. */
  inProgress(tenantId: string): Promise<RingingCall[]>;
}

const fresh = (entries: RingingCall[], now: number) =>
  entries
    .filter((e) => now - Date.parse(e.call.ringingAt) < STALE_MS)
    .sort((a, b) => a.call.ringingAt.localeCompare(b.call.ringingAt));

/** One process's memory: right for a single backend instance. */
export class MemoryRingingCalls implements RingingCalls {
  private readonly openCalls = new Map<string, Map<string, RingingCall>>();
  private readonly recent = new Map<string, Map<string, RingingCall>>();

  open(entry: RingingCall): Promise<void> {
    const calls = this.tenant(this.openCalls, entry.tenantId);
    calls.delete(entry.call.key);
    calls.set(entry.call.key, entry);
    if (calls.size > MAX_OPEN_PER_TENANT) calls.delete(calls.keys().next().value as string);
    return Promise.resolve();
  }

  find(tenantId: string, key: string): Promise<RingingCall | null> {
    const recent = this.recent.get(tenantId)?.get(key);
    const known = this.openCalls.get(tenantId)?.get(key) ?? (recent && this.isRecent(recent) ? recent : undefined);
    return Promise.resolve(known ?? null);
  }

  close(tenantId: string, key: string, endedAt: string): Promise<RingingCall | null> {
    const entry = this.openCalls.get(tenantId)?.get(key);
    if (!entry) return Promise.resolve(null);
    this.openCalls.get(tenantId)?.delete(key);
    const recent = this.tenant(this.recent, tenantId);
    recent.set(key, { ...entry, endedAt });
    // Oldest first in insertion order: drop the expired ones and anything past the bound.
    for (const [k, e] of recent) {
      if (this.isRecent(e) && recent.size <= MAX_RECENT_PER_TENANT) break;
      recent.delete(k);
    }
    return Promise.resolve({ ...entry, endedAt });
  }

  inProgress(tenantId: string): Promise<RingingCall[]> {
    return Promise.resolve(fresh([...(this.openCalls.get(tenantId)?.values() ?? [])], Date.now()));
  }

  private isRecent(e: RingingCall): boolean {
    return !!e.endedAt && Date.now() - Date.parse(e.endedAt) < RECENT_MS;
  }

  private tenant(maps: Map<string, Map<string, RingingCall>>, tenantId: string): Map<string, RingingCall> {
    let calls = maps.get(tenantId);
    if (!calls) maps.set(tenantId, (calls = new Map()));
    return calls;
  }
}

/**
 * Redis: one hash per tenant holds the calls in progress (field = call key); an ended call moves
 * to a key of its own that expires after RECENT_MS.
 */
export class RedisRingingCalls implements RingingCalls {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Nest calls this on shutdown: the client belongs to this store alone. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  async open(entry: RingingCall): Promise<void> {
    const hash = this.hashOf(entry.tenantId);
    await this.redis.multi().hset(hash, entry.call.key, JSON.stringify(entry)).pexpire(hash, STALE_MS).exec();
  }

  async find(tenantId: string, key: string): Promise<RingingCall | null> {
    const [open, recent] = await Promise.all([
      this.redis.hget(this.hashOf(tenantId), key),
      this.redis.get(this.recentOf(tenantId, key)),
    ]);
    const text = open ?? recent;
    return text ? (JSON.parse(text) as RingingCall) : null;
  }

  async close(tenantId: string, key: string, endedAt: string): Promise<RingingCall | null> {
    const text = await this.redis.hget(this.hashOf(tenantId), key);
    if (!text) return null;
    const ended: RingingCall = { ...(JSON.parse(text) as RingingCall), endedAt };
    await this.redis
      .multi()
      .set(this.recentOf(tenantId, key), JSON.stringify(ended), 'PX', RECENT_MS)
      .hdel(this.hashOf(tenantId), key)
      .exec();
    return ended;
  }

  async inProgress(tenantId: string): Promise<RingingCall[]> {
    const all = await this.redis.hgetall(this.hashOf(tenantId));
    const entries = Object.values(all).map((t) => JSON.parse(t) as RingingCall);
    const now = Date.now();
    const stale = entries.filter((e) => now - Date.parse(e.call.ringingAt) >= STALE_MS).map((e) => e.call.key);
    if (stale.length) await this.redis.hdel(this.hashOf(tenantId), ...stale);
    return fresh(entries, now);
  }

  private hashOf(tenantId: string): string {
    return `${this.prefix}popup:ringing:${tenantId}`;
  }

  private recentOf(tenantId: string, key: string): string {
    return `${this.prefix}popup:ended:${tenantId}:${key}`;
  }
}

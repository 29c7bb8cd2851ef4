import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a deletion preview promised: confirming it must mean exactly this, or nothing. */
export interface DeletionClaims {
  tenantId: string;
  userId: string;
  /** SHA-256 of the canonical filter (see canonicalFilter). */
  filterHash: string;
  count: number;
  bytes: number;
  /** When the preview counted, ms since the epoch: calls stored after it are not part of the deletion. */
  issuedAt: number;
  expiresAt: number;
}

export type ReadToken = { ok: true; claims: DeletionClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** The filter as one string: keys sorted, absent values dropped, so equal filters hash equal. */
export function canonicalFilter(filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export const filterHash = (filter: object) => createHash('sha256').update(canonicalFilter(filter)).digest('hex');

/**
 * Signs preview claims into an opaque token (HMAC with a key derived from the session secret, so
 * every API instance of an installation accepts it and no table is needed).
 */
export class DeletionTokenSigner {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(sessionSecret), Buffer.alloc(0), 'appliance:deletion-confirm', 32),
    );
  }

  sign(claims: DeletionClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  read(token: string, now = Date.now()): ReadToken {
    const dot = token.indexOf('.');
    if (dot < 1) return { ok: false, reason: 'invalid' };
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as DeletionClaims;
    return claims.expiresAt > now ? { ok: true, claims } : { ok: false, reason: 'expired' };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

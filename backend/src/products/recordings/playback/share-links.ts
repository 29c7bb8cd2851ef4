import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SharePayload {
  tenantId: string;
  callId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Longest lifetime a share link may be given. */
export const SHARE_MAX_HOURS = 24 * 7;

/**
 * Expiring playback links: the token carries tenant, call and expiry and is signed with a key
 * derived from the session secret, so no table is needed and a changed byte or a past expiry fails.
 */
export class ShareLinkSigner {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(sessionSecret), Buffer.alloc(0), 'appliance:share-links', 32),
    );
  }

  sign(payload: SharePayload): string {
    const body = Buffer.from(
      JSON.stringify([payload.tenantId, payload.callId, payload.exp, randomBytes(6).toString('base64url')]),
    ).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a valid, unexpired token, or null: callers answer 404 either way. */
  verify(token: string, now = Date.now()): SharePayload | null {
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const [tenantId, callId, exp] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [
        string,
        string,
        number,
      ];
      return exp * 1000 > now ? { tenantId, callId, exp } : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

import { canonicalFilter, DeletionClaims, DeletionTokenSigner, filterHash } from './confirm-token';

const claims: DeletionClaims = {
  tenantId: 't1',
  userId: 'u1',
  filterHash: filterHash({ to: '2025-12-31', source: 'flexlog' }),
  count: 12,
  bytes: 34_567,
  issuedAt: 1_000_000,
  expiresAt: 1_600_000,
};

describe('deletion confirm tokens', () => {
  const signer = new DeletionTokenSigner('a-session-secret-of-at-least-32-characters!!');

  it('reads back what it signed until it expires', () => {
    const token = signer.sign(claims);
    expect(signer.read(token, 1_599_999)).toEqual({ ok: true, claims });
    expect(signer.read(token, 1_600_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token with any byte changed, a truncated one, or one signed with another secret', () => {
    const token = signer.sign(claims);
    const [body, mac] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...claims, count: 13 })).toString('base64url');
    expect(signer.read(`${raised}.${mac}`, 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.read(`${body}.${mac.slice(0, -1)}`, 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.read(body, 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.read('', 0)).toEqual({ ok: false, reason: 'invalid' });
    const stranger = new DeletionTokenSigner('another-secret-another-secret-another-secret');
    expect(stranger.read(token, 0)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('hashes equal filters equally whatever the key order or absent fields, and different ones apart', () => {
    expect(canonicalFilter({ b: 1, a: 'x', c: undefined, d: '' })).toBe('{"a":"x","b":1}');
    expect(filterHash({ source: 'flexlog', to: '2025-12-31' })).toBe(claims.filterHash);
    expect(filterHash({ source: 'flexlog', to: '2025-12-30' })).not.toBe(claims.filterHash);
    expect(filterHash({ source: 'flexlog', to: '2025-12-31', legalHold: false })).not.toBe(claims.filterHash);
  });
});

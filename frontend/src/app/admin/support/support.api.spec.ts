import { SupportGrant, grantState } from './support.api';

const grant = (over: Partial<SupportGrant>): SupportGrant => ({
  id: 'g1',
  scope: 'read',
  reason: 'investigate call drops',
  granteeUserId: null,
  grantedBy: 'u1',
  createdAt: '2026-01-01T00:00:00Z',
  expiresAt: '2026-01-02T00:00:00Z',
  revokedAt: null,
  active: true,
  ...over,
});

describe('grantState', () => {
  it('is revoked when revoked, whatever the API says of activity', () => {
    expect(grantState(grant({ revokedAt: '2026-01-01T01:00:00Z', active: false }))).toBe('revoked');
  });

  it('tells active from expired', () => {
    expect(grantState(grant({}))).toBe('active');
    expect(grantState(grant({ active: false }))).toBe('expired');
  });
});

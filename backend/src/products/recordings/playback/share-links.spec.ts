import { ShareLinkSigner } from './share-links';

describe('ShareLinkSigner', () => {
  const signer = new ShareLinkSigner('x'.repeat(48));
  const payload = { tenantId: 't1', callId: 'c1', exp: Math.floor(Date.now() / 1000) + 60 };

  it('verifies its own token', () => {
    expect(signer.verify(signer.sign(payload))).toEqual(payload);
  });

  it('refuses an expired, altered or foreign token', () => {
    expect(signer.verify(signer.sign({ ...payload, exp: 1 }))).toBeNull();
    const token = signer.sign(payload);
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    expect(signer.verify(flipped)).toBeNull();
    expect(new ShareLinkSigner('y'.repeat(48)).verify(token)).toBeNull();
    expect(signer.verify('garbage')).toBeNull();
  });
});

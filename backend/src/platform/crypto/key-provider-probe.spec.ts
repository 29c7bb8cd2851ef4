import { randomBytes } from 'node:crypto';
import { KeyProviderProbe } from './key-provider-probe';
import { KeyRing } from './key-ring';
import { KmsStandIn } from './testing/kms-stand-in';

describe('KeyProviderProbe', () => {
  const probe = new KeyProviderProbe({
    localKeys: { keys: new Map([[1, randomBytes(32)]]), current: 1 },
  } as unknown as KeyRing);
  const kms = new KmsStandIn();
  let endpoint: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    endpoint = await kms.start();
    kms.createKey('alias/appliance');
    // The probe uses the SDK's default credential chain, as in production; the stand-in ignores them.
    process.env['AWS_ACCESS_KEY_ID'] = 'stand-in';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'stand-in';
  });
  afterAll(async () => {
    process.env = saved;
    await kms.stop();
  });

  it('local: round trip with the master key', async () => {
    expect(await probe.test({ mode: 'local' })).toEqual({
      ok: true,
      message: 'local master key: encrypt/decrypt round trip ok',
    });
  });

  it('KMS: data key generated and decrypted', async () => {
    const settings = {
      mode: 'kms' as const,
      kmsKeyId: 'alias/appliance',
      kmsRegion: kms.region,
      kmsEndpoint: endpoint,
    };
    expect(await probe.test(settings)).toEqual({
      ok: true,
      message: 'KMS key alias/appliance: data key generated and decrypted',
    });
  });

  it('KMS: says which key failed and why', async () => {
    const missing = { mode: 'kms' as const, kmsKeyId: 'alias/nope', kmsRegion: kms.region, kmsEndpoint: endpoint };
    const result = await probe.test(missing);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^KMS alias\/nope: .*does not exist/);
    const unreachable = await probe.test({
      ...missing,
      kmsKeyId: 'alias/appliance',
      kmsEndpoint: 'http://127.0.0.1:9',
    });
    expect(unreachable).toMatchObject({ ok: false, message: expect.stringContaining('alias/appliance') });
  });
});

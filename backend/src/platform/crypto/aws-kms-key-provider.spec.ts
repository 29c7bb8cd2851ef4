import { randomBytes } from 'node:crypto';
import { AwsKmsKeyProvider } from './aws-kms-key-provider';
import { KeyUnwrapError, rewrapDataKey } from './key-provider';
import { LocalKeyProvider } from './local-key-provider';
import { KmsStandIn } from './testing/kms-stand-in';

// Contract tests against a local KMS stand-in (testing/kms-stand-in.ts), not AWS: they prove the
// provider speaks the documented KMS JSON API, not that a given AWS account is configured.
const CONTEXT = { tenant: 'tenant-a', purpose: 'recordings' };
const credentials = { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' };

describe('AwsKmsKeyProvider against the KMS stand-in', () => {
  const kms = new KmsStandIn();
  let endpoint: string;
  let arn: string;
  const providers: AwsKmsKeyProvider[] = [];
  const provider = (keyId: string) => {
    const p = new AwsKmsKeyProvider({ keyId, region: kms.region, endpoint, credentials, maxAttempts: 1 });
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    endpoint = await kms.start();
    arn = kms.createKey('alias/appliance');
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await kms.stop();
  });

  it('GenerateDataKey: a 32-byte key, wrapped, with the key ARN as keyRef and the context sent', async () => {
    const { dataKey, wrapped, keyRef } = await provider('alias/appliance').generateDataKey(CONTEXT);
    expect(dataKey).toHaveLength(32);
    expect(keyRef).toBe(`aws-kms:${arn}`);
    expect(kms.calls.at(-1)).toEqual({
      target: 'TrentService.GenerateDataKey',
      body: expect.objectContaining({ KeyId: 'alias/appliance', KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    });
    const back = await provider('alias/appliance').unwrap(wrapped, keyRef, CONTEXT);
    expect(back.equals(dataKey)).toBe(true);
    // Decrypt pins the key named by the keyRef, not whatever the provider is configured with.
    expect(kms.calls.at(-1)?.body).toMatchObject({ KeyId: arn, EncryptionContext: CONTEXT });
  });

  it('Encrypt / Decrypt: wrap and unwrap an existing data key', async () => {
    const dataKey = randomBytes(32);
    const { wrapped, keyRef } = await provider(arn).wrap(dataKey, CONTEXT);
    expect(kms.calls.at(-1)?.target).toBe('TrentService.Encrypt');
    expect(wrapped.includes(dataKey)).toBe(false);
    expect((await provider(arn).unwrap(wrapped, keyRef, CONTEXT)).equals(dataKey)).toBe(true);
  });

  it('an encryption context mismatch fails to unwrap', async () => {
    const { wrapped, keyRef } = await provider(arn).generateDataKey(CONTEXT);
    const unwrap = (context: Record<string, string>) => provider(arn).unwrap(wrapped, keyRef, context);
    await expect(unwrap({ ...CONTEXT, tenant: 'tenant-b' })).rejects.toThrow(KeyUnwrapError);
    await expect(unwrap({ tenant: 'tenant-a' })).rejects.toThrow(/InvalidCiphertextException/);
    await expect(unwrap({ ...CONTEXT, extra: 'x' })).rejects.toThrow(/InvalidCiphertextException/);
  });

  it('a keyRef naming another key, a damaged blob, or a non-KMS keyRef fail', async () => {
    const other = kms.createKey();
    const { wrapped } = await provider(arn).generateDataKey(CONTEXT);
    await expect(provider(arn).unwrap(wrapped, `aws-kms:${other}`, CONTEXT)).rejects.toThrow(/IncorrectKeyException/);
    const damaged = Buffer.from(wrapped);
    damaged[damaged.length - 1] ^= 1;
    await expect(provider(arn).unwrap(damaged, `aws-kms:${arn}`, CONTEXT)).rejects.toThrow(/InvalidCiphertext/);
    await expect(provider(arn).unwrap(wrapped, 'local:v1', CONTEXT)).rejects.toThrow(/not an AWS KMS key reference/);
  });

  it('an unknown key id fails to wrap with the KMS error name', async () => {
    await expect(provider('alias/missing').wrap(randomBytes(32), CONTEXT)).rejects.toThrow(/does not exist/);
  });

  it('rotation: local -> KMS, then KMS key A -> key B, without touching the data key', async () => {
    const local = new LocalKeyProvider(new Map([[1, randomBytes(32)]]), 1);
    const { dataKey, ...onLocal } = await local.generateDataKey(CONTEXT);
    const onA = await rewrapDataKey(local, provider(arn), onLocal, CONTEXT);
    const keyB = kms.createKey('alias/next');
    const onB = await rewrapDataKey(provider(arn), provider('alias/next'), onA, CONTEXT);
    expect(onB.keyRef).toBe(`aws-kms:${keyB}`);
    expect((await provider('alias/next').unwrap(onB.wrapped, onB.keyRef, CONTEXT)).equals(dataKey)).toBe(true);
  });

  it('a disabled KMS key shreds every data key it wrapped', async () => {
    const doomed = kms.createKey();
    const { wrapped, keyRef } = await provider(doomed).generateDataKey(CONTEXT);
    kms.disableKey(doomed);
    await expect(provider(doomed).unwrap(wrapped, keyRef, CONTEXT)).rejects.toThrow(/DisabledException/);
  });
});

import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KeyRing } from './key-ring';
import { SecretBox } from './secret-box';

export type EncryptionSettings =
  { mode: 'local' } | { mode: 'kms'; kmsKeyId: string; kmsRegion: string; kmsEndpoint?: string };

export interface ProbeResult {
  ok: boolean;
  message: string;
}

/** Proves a key mode works end to end: wrap a fresh data key, unwrap it, compare. */
@Injectable()
export class KeyProviderProbe {
  constructor(private readonly keys: KeyRing) {}

  async test(settings: EncryptionSettings): Promise<ProbeResult> {
    if (settings.mode === 'local') {
      const box = new SecretBox(this.keys.masterKey, 'probe');
      const sample = randomBytes(16).toString('hex');
      const ok = box.open(box.seal(sample)) === sample;
      return {
        ok,
        message: ok ? 'local master key: encrypt/decrypt round trip ok' : 'local master key: round trip failed',
      };
    }
    // Loaded on first use: only KMS installations need the SDK.
    const { DecryptCommand, GenerateDataKeyCommand, KMSClient } = await import('@aws-sdk/client-kms');
    const client = new KMSClient({
      region: settings.kmsRegion,
      endpoint: settings.kmsEndpoint,
      maxAttempts: 1,
    });
    try {
      const generated = await client.send(new GenerateDataKeyCommand({ KeyId: settings.kmsKeyId, KeySpec: 'AES_256' }));
      const decrypted = await client.send(
        new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, KeyId: settings.kmsKeyId }),
      );
      const same = Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(generated.Plaintext ?? [1]));
      return same
        ? { ok: true, message: `KMS key ${settings.kmsKeyId}: data key generated and decrypted` }
        : { ok: false, message: 'KMS: decrypted data key differs from the generated one' };
    } catch (error) {
      return { ok: false, message: `KMS ${settings.kmsKeyId}: ${(error as Error).message}` };
    } finally {
      client.destroy();
    }
  }
}

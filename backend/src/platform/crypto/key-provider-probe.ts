import { Injectable } from '@nestjs/common';
import { createKeyProvider, EncryptionSettings } from './key-provider-factory';
import { KeyRing } from './key-ring';

export type { EncryptionSettings } from './key-provider-factory';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

/** Proves a key mode works end to end: generate and wrap a fresh data key, unwrap it, compare. */
@Injectable()
export class KeyProviderProbe {
  constructor(private readonly keys: KeyRing) {}

  async test(settings: EncryptionSettings): Promise<ProbeResult> {
    // One attempt: the wizard should say at once that an endpoint is unreachable, not retry.
    const provider = createKeyProvider(settings, this.keys.localKeys, { maxAttempts: 1 });
    const name = settings.mode === 'local' ? 'local master key' : `KMS ${settings.kmsKeyId}`;
    try {
      const context = { purpose: 'probe' };
      const generated = await provider.generateDataKey(context);
      const back = await provider.unwrap(generated.wrapped, generated.keyRef, context);
      const same = back.equals(generated.dataKey);
      if (settings.mode === 'local') {
        return {
          ok: same,
          message: same ? 'local master key: encrypt/decrypt round trip ok' : 'local master key: round trip failed',
        };
      }
      return same
        ? { ok: true, message: `KMS key ${settings.kmsKeyId}: data key generated and decrypted` }
        : { ok: false, message: 'KMS: decrypted data key differs from the generated one' };
    } catch (error) {
      return { ok: false, message: `${name}: ${(error as Error).message}` };
    } finally {
      await provider.close?.();
    }
  }
}

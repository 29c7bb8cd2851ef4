import type { KMSClient } from '@aws-sdk/client-kms';
import {
  assertDataKey,
  DATA_KEY_BYTES,
  GeneratedKey,
  KeyContext,
  KeyProvider,
  KeyUnwrapError,
  WrappedKey,
} from './key-provider';

export interface AwsKmsOptions {
  /** Key id, key ARN, alias name or alias ARN. KMS answers with the key ARN, which becomes the keyRef. */
  keyId: string;
  region: string;
  /** A VPC endpoint, or a local stand-in in tests. */
  endpoint?: string;
  /** Omitted in production: the SDK's default chain (instance role, env, profile) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

const PREFIX = 'aws-kms:';

/**
 * Data keys wrapped by an AWS KMS key: the plaintext KEK never leaves KMS, and every unwrap is a
 * KMS call that CloudTrail records and a key policy (or a disabled key) can refuse. The context is
 * sent as the KMS EncryptionContext, so it is bound to the ciphertext and visible in the audit log.
 *
 * Rotation within KMS (automatic key rotation) needs no re-wrap; moving to another key does:
 * `rewrapDataKey(oldProvider, newProvider, ...)`, where unwrap uses the key named by the keyRef.
 */
export class AwsKmsKeyProvider implements KeyProvider {
  readonly id = 'aws-kms';
  private client?: Promise<KMSClient>;

  constructor(private readonly options: AwsKmsOptions) {}

  async generateDataKey(context: KeyContext): Promise<GeneratedKey> {
    const { GenerateDataKeyCommand } = await sdk();
    const out = await (
      await this.kms()
    ).send(
      new GenerateDataKeyCommand({ KeyId: this.options.keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
    );
    const dataKey = Buffer.from(required(out.Plaintext, 'Plaintext'));
    assertDataKey(dataKey);
    return {
      dataKey,
      wrapped: Buffer.from(required(out.CiphertextBlob, 'CiphertextBlob')),
      keyRef: keyRefOf(out.KeyId),
    };
  }

  async wrap(dataKey: Buffer, context: KeyContext): Promise<WrappedKey> {
    assertDataKey(dataKey);
    const { EncryptCommand } = await sdk();
    const out = await (
      await this.kms()
    ).send(new EncryptCommand({ KeyId: this.options.keyId, Plaintext: dataKey, EncryptionContext: { ...context } }));
    return { wrapped: Buffer.from(required(out.CiphertextBlob, 'CiphertextBlob')), keyRef: keyRefOf(out.KeyId) };
  }

  async unwrap(wrapped: Buffer, keyRef: string, context: KeyContext): Promise<Buffer> {
    if (!keyRef.startsWith(PREFIX)) throw new KeyUnwrapError(`${keyRef}: not an AWS KMS key reference`);
    const { DecryptCommand } = await sdk();
    try {
      // KeyId pins the key: KMS refuses a blob made by any other key instead of trying it.
      const out = await (
        await this.kms()
      ).send(
        new DecryptCommand({
          CiphertextBlob: wrapped,
          KeyId: keyRef.slice(PREFIX.length),
          EncryptionContext: { ...context },
        }),
      );
      const dataKey = Buffer.from(required(out.Plaintext, 'Plaintext'));
      if (dataKey.length !== DATA_KEY_BYTES) throw new Error(`plaintext is ${dataKey.length} bytes, not a data key`);
      return dataKey;
    } catch (error) {
      const e = error as Error;
      throw new KeyUnwrapError(`${keyRef}: KMS Decrypt failed: ${e.name}: ${e.message}`);
    }
  }

  /** Frees the HTTP agent; the provider creates a new client if used again. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) (await client).destroy();
  }

  private kms(): Promise<KMSClient> {
    this.client ??= sdk().then(
      ({ KMSClient }) =>
        new KMSClient({
          region: this.options.region,
          endpoint: this.options.endpoint || undefined,
          credentials: this.options.credentials,
          maxAttempts: this.options.maxAttempts,
        }),
    );
    return this.client;
  }
}

// Loaded on first use: only KMS installations pay for the SDK at start-up.
function sdk() {
  return import('@aws-sdk/client-kms');
}

function keyRefOf(keyId: string | undefined): string {
  return PREFIX + required(keyId, 'KeyId');
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`KMS response has no ${field}`);
  return value;
}

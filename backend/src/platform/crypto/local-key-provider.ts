import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import {
  assertDataKey,
  canonicalContext,
  DATA_KEY_BYTES,
  GeneratedKey,
  KeyContext,
  KeyProvider,
  KeyUnwrapError,
  WrappedKey,
} from './key-provider';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
const KEY_REF = /^local:v([1-9][0-9]{0,8})$/;

/**
 * Wraps data keys with AES-256-GCM under a key-encryption key derived from the master key file.
 * The KEK is HKDF(master key, info naming the version), so it differs from every other key derived
 * from the same master key (SecretBox purposes) and a blob relabelled to another version cannot open.
 *
 * Several master-key versions can be loaded at once: `unwrap` uses the version named by the keyRef,
 * `wrap` always uses `currentVersion`. Rotation = load v1 and v2, current v2, `rewrapDataKey` each
 * tenant key, then retire v1 once no keyRef names it.
 *
 * Wrapped form: nonce (12) || ciphertext (32) || tag (16); AAD = the canonical context.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly id = 'local';
  private readonly keks = new Map<number, Buffer>();

  constructor(
    masterKeys: ReadonlyMap<number, Buffer>,
    private readonly currentVersion: number,
  ) {
    for (const [version, masterKey] of masterKeys) {
      if (!Number.isInteger(version) || version < 1) throw new RangeError(`master key version ${version} is not >= 1`);
      // 32 bytes is what secret-file.ts creates; less would weaken every derived key.
      if (masterKey.length < 32) throw new RangeError(`master key v${version} is shorter than 32 bytes`);
      this.keks.set(version, Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), kekInfo(version), 32)));
    }
    if (!this.keks.has(currentVersion))
      throw new RangeError(`current master key version v${currentVersion} not loaded`);
  }

  /** The keyRef that `wrap` issues now; a rotation job re-wraps every key whose keyRef differs. */
  get currentKeyRef(): string {
    return `local:v${this.currentVersion}`;
  }

  async generateDataKey(context: KeyContext): Promise<GeneratedKey> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    return { dataKey, ...(await this.wrap(dataKey, context)) };
  }

  async wrap(dataKey: Buffer, context: KeyContext): Promise<WrappedKey> {
    assertDataKey(dataKey);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek(this.currentVersion), nonce);
    cipher.setAAD(canonicalContext(context));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]), keyRef: this.currentKeyRef };
  }

  async unwrap(wrapped: Buffer, keyRef: string, context: KeyContext): Promise<Buffer> {
    const match = KEY_REF.exec(keyRef);
    if (!match) throw new KeyUnwrapError(`${keyRef}: not a local key reference`);
    const version = Number(match[1]);
    if (!this.keks.has(version)) throw new KeyUnwrapError(`${keyRef}: master key version ${version} is not loaded`);
    if (wrapped.length !== WRAPPED_BYTES) {
      throw new KeyUnwrapError(`${keyRef}: wrapped key is ${wrapped.length} bytes, expected ${WRAPPED_BYTES}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.kek(version), wrapped.subarray(0, NONCE_BYTES));
    decipher.setAAD(canonicalContext(context));
    decipher.setAuthTag(wrapped.subarray(WRAPPED_BYTES - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(wrapped.subarray(NONCE_BYTES, WRAPPED_BYTES - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new KeyUnwrapError(`${keyRef}: data key failed authentication (wrong master key, context or corrupted)`);
    }
  }

  private kek(version: number): Buffer {
    const kek = this.keks.get(version);
    if (!kek) throw new KeyUnwrapError(`local:v${version}: master key version is not loaded`);
    return kek;
  }
}

function kekInfo(version: number): string {
  return `appliance:data-key-wrap:v${version}`;
}

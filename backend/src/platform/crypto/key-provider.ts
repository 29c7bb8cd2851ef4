/**
 * Envelope encryption: each tenant's data key (32 random bytes, AES-256) is stored only wrapped by a
 * key provider. The wrapped form names the provider key that wrapped it (`keyRef`, e.g. `local:v2` or
 * `aws-kms:arn:...`) so rotation can unwrap with the old key and wrap with the new one, and
 * destroying the wrapped data key makes everything it encrypted unreadable (crypto-shredding).
 *
 * The context (e.g. `{ tenant: '<id>', purpose: 'recordings' }`) is authenticated but not secret:
 * a wrapped key copied onto another tenant's row fails to unwrap.
 */
export type KeyContext = Readonly<Record<string, string>>;

export interface WrappedKey {
  wrapped: Buffer;
  /** Which provider key wrapped it; stored next to `wrapped` and handed back to `unwrap`. */
  keyRef: string;
}

export interface GeneratedKey extends WrappedKey {
  dataKey: Buffer;
}

export interface KeyProvider {
  /** `local` or `aws-kms`: the prefix of every keyRef this provider issues. */
  readonly id: string;
  /** A fresh 32-byte data key, plaintext and wrapped (KMS does both in one call). */
  generateDataKey(context: KeyContext): Promise<GeneratedKey>;
  wrap(dataKey: Buffer, context: KeyContext): Promise<WrappedKey>;
  unwrap(wrapped: Buffer, keyRef: string, context: KeyContext): Promise<Buffer>;
}

export const DATA_KEY_BYTES = 32;

/** Thrown when a wrapped key cannot be opened; the message never includes key material. */
export class KeyUnwrapError extends Error {
  override readonly name = 'KeyUnwrapError';
}

/**
 * Rotation: re-wraps a data key under `to`'s current key without touching the data it encrypts.
 * `from` and `to` may be the same provider (local master key v1 -> v2) or different ones
 * (local -> KMS when an installation moves to a cloud key).
 */
export async function rewrapDataKey(
  from: KeyProvider,
  to: KeyProvider,
  current: WrappedKey,
  context: KeyContext,
): Promise<WrappedKey> {
  const dataKey = await from.unwrap(current.wrapped, current.keyRef, context);
  try {
    return await to.wrap(dataKey, context);
  } finally {
    // Best effort: the plaintext key should not linger in the heap longer than needed.
    dataKey.fill(0);
  }
}

/**
 * One byte string per context, whatever order its keys were written in, so the same context always
 * gives the same AAD. JSON escapes every separator, so no two contexts encode alike.
 */
export function canonicalContext(context: KeyContext): Buffer {
  const entries = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function assertDataKey(dataKey: Buffer): void {
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new RangeError(`a data key must be ${DATA_KEY_BYTES} bytes, got ${dataKey.length}`);
  }
}

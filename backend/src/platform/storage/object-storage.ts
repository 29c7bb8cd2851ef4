import { Readable } from 'node:stream';

/**
 * Where recordings and exports live. Two drivers, one contract (object-storage.contract.ts):
 * `local` (a directory on the appliance) and `s3` (any S3-compatible service).
 *
 * Keys are laid out per tenant: `tenants/<tenantId>/<part>/<part>...` (build them with objectKey),
 * plus `system/...` for the appliance's own objects (the storage probe). Every method refuses any
 * other key, so a bug elsewhere cannot write outside a tenant's space or escape a local root.
 */
export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  /**
   * Streams body to key (replacing any object there) and resolves with the bytes written. Memory stays
   * bounded whatever the size. Atomic: readers see the old object or the whole new one, never a part;
   * on any error, including body erroring mid-way or signal aborting, nothing new remains at key.
   * If contentLength is given and body delivers a different number of bytes, the write fails.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<{ bytes: number }>;
  /**
   * The whole object, or the inclusive byte range [start, end] (end past the last byte is clamped,
   * as in HTTP). Throws ObjectNotFoundError when absent, ObjectRangeError when start is past the end.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the object, or null when absent. */
  stat(key: string): Promise<{ bytes: number } | null>;
  /** Removes the object; absent is fine. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with prefix (e.g. tenantPrefix(id)); resolves with the count. */
  deletePrefix(prefix: string): Promise<number>;
  /** Every object whose key starts with prefix, in no particular order. */
  list(prefix: string): AsyncIterable<ObjectEntry>;
}

export interface PutOptions {
  contentLength?: number;
  signal?: AbortSignal;
}

export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectEntry {
  key: string;
  bytes: number;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
  }
}

export class ObjectRangeError extends Error {
  override readonly name = 'ObjectRangeError';
  constructor(
    readonly key: string,
    range: ByteRange,
  ) {
    super(`range ${range.start}-${range.end} not satisfiable for ${key}`);
  }
}

export class InvalidObjectKeyError extends Error {
  override readonly name = 'InvalidObjectKeyError';
  constructor(key: string, why: string) {
    super(`invalid object key ${JSON.stringify(key).slice(0, 200)}: ${why}`);
  }
}

// One path segment: no '.'/'..', no leading dot (temporary files of the local driver start with one),
// nothing a file system or an S3 URL treats specially.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._=-]{0,254}$/;
const MAX_KEY_BYTES = 1024; // S3's limit
const NAMESPACES = ['tenants', 'system'] as const;

/** `tenants/<tenantId>/<parts...>`; each part is one path segment. */
export function objectKey(tenantId: string, ...parts: string[]): string {
  if (parts.length === 0) throw new InvalidObjectKeyError(tenantId, 'no object name after the tenant');
  const bad = [tenantId, ...parts].find((part) => !SEGMENT.test(part));
  if (bad !== undefined) throw new InvalidObjectKeyError(bad, 'each part is one segment: letters, digits, . _ = -');
  return checked(['tenants', tenantId, ...parts].join('/'));
}

/** `tenants/<tenantId>/`: the prefix of everything one tenant owns. */
export function tenantPrefix(tenantId: string): string {
  if (!SEGMENT.test(tenantId)) throw new InvalidObjectKeyError(`tenants/${tenantId}/`, 'bad tenant id');
  return `tenants/${tenantId}/`;
}

/** `system/<parts...>`: the appliance's own objects, outside every tenant. */
export function systemKey(...parts: string[]): string {
  if (parts.length === 0) throw new InvalidObjectKeyError('system/', 'no object name');
  const bad = parts.find((part) => !SEGMENT.test(part));
  if (bad !== undefined) throw new InvalidObjectKeyError(bad, 'each part is one segment: letters, digits, . _ = -');
  return checked(['system', ...parts].join('/'));
}

/** Throws InvalidObjectKeyError unless key is a complete key of the layout above. */
export function assertObjectKey(key: string): void {
  checked(key);
}

/**
 * Throws unless prefix lies inside one namespace: `tenants/<id>/...` (a whole tenant id, so one tenant's
 * prefix never matches another's) or `system/...`. The last segment may be partial ('tenants/t1/rec').
 */
export function assertObjectPrefix(prefix: string): void {
  const segments = prefix.split('/');
  const last = segments.pop() ?? '';
  const [namespace, tenant] = segments;
  const minimum = namespace === 'tenants' ? 2 : 1;
  if (!NAMESPACES.includes(namespace as (typeof NAMESPACES)[number]) || segments.length < minimum)
    throw new InvalidObjectKeyError(prefix, "a prefix must start with 'tenants/<id>/' or 'system/'");
  if (tenant !== undefined && namespace === 'tenants' && !SEGMENT.test(tenant))
    throw new InvalidObjectKeyError(prefix, 'bad tenant id');
  if (segments.slice(1).some((s) => !SEGMENT.test(s)) || (last !== '' && !SEGMENT.test(last)))
    throw new InvalidObjectKeyError(prefix, 'segments may hold only letters, digits and . _ = - (not first)');
}

/** Throws RangeError unless range is a pair of non-negative integers with start <= end. */
export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start)
    throw new RangeError(`invalid byte range ${start}-${end}`);
}

function checked(key: string): string {
  if (typeof key !== 'string' || key === '') throw new InvalidObjectKeyError(String(key), 'empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new InvalidObjectKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  const segments = key.split('/');
  const [namespace] = segments;
  if (!NAMESPACES.includes(namespace as (typeof NAMESPACES)[number]))
    throw new InvalidObjectKeyError(key, "must start with 'tenants/' or 'system/'");
  if (segments.length < (namespace === 'tenants' ? 3 : 2))
    throw new InvalidObjectKeyError(key, namespace === 'tenants' ? "must be 'tenants/<id>/<name>'" : 'no object name');
  const bad = segments.slice(1).find((s) => !SEGMENT.test(s));
  if (bad !== undefined)
    throw new InvalidObjectKeyError(
      key,
      `segment ${JSON.stringify(bad)}: only letters, digits and . _ = - (not first)`,
    );
  return key;
}

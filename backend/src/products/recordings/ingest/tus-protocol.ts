import { HttpException } from '@nestjs/common';
import { fieldError } from '../../../platform/http/field-errors';

// The parts of tus 1.0.0 (https://tus.io/protocols/resumable-upload) that are plain header
// arithmetic, kept apart from storage and the database so they can be tested alone.

export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,termination,expiration,checksum';
/** Upload-Checksum algorithms (tus requires sha1; sha256 is what our clients already compute). */
export const TUS_CHECKSUM_ALGORITHMS = ['sha1', 'sha256'] as const;
export type TusChecksumAlgorithm = (typeof TUS_CHECKSUM_ALGORITHMS)[number];
export const OFFSET_CONTENT_TYPE = 'application/offset+octet-stream';

/** Our own response headers: the result of the PATCH (or HEAD) that completed an upload. */
export const RESULT_HEADERS = {
  callId: 'Ingest-Call-Id',
  recordingId: 'Ingest-Recording-Id',
  duplicate: 'Ingest-Duplicate',
} as const;

/** tus's "checksum mismatch" status; Nest has no name for it. */
export class ChecksumMismatchException extends HttpException {
  constructor(algorithm: string) {
    super(
      { statusCode: 460, error: 'Checksum Mismatch', message: `Upload-Checksum: the ${algorithm} of the body differs` },
      460,
    );
  }
}

/** A header that must be a non-negative whole number (Upload-Length, Upload-Offset). */
export function byteCountHeader(name: string, value: string | string[] | undefined): number {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value.trim())) {
    throw fieldError(name, value === undefined ? 'missing' : 'must be a non-negative whole number of bytes');
  }
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n)) throw fieldError(name, 'too large');
  return n;
}

/**
 * Upload-Metadata: comma-separated `key base64value` pairs (a key alone means an empty value).
 * Keys must be unique and free of spaces and commas, as the spec says.
 */
export function parseUploadMetadata(header: string | string[] | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  if (header === undefined) return pairs;
  if (typeof header !== 'string') throw fieldError('Upload-Metadata', 'send the header once');
  for (const raw of header.split(',')) {
    const pair = raw.trim();
    if (!pair) continue;
    const [key, value, extra] = pair.split(' ');
    if (extra !== undefined || !key) throw fieldError('Upload-Metadata', `malformed pair "${pair.slice(0, 40)}"`);
    if (pairs.has(key)) throw fieldError('Upload-Metadata', `key "${key}" appears twice`);
    if (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      throw fieldError(`Upload-Metadata.${key}`, 'value is not base64');
    }
    pairs.set(key, Buffer.from(value ?? '', 'base64').toString('utf8'));
  }
  return pairs;
}

export interface UploadChecksum {
  algorithm: TusChecksumAlgorithm;
  /** The digest the client sent, decoded from base64. */
  digest: Buffer;
}

/** Upload-Checksum: `<algorithm> <base64 digest>`; absent means the client sent none. */
export function parseUploadChecksum(header: string | string[] | undefined): UploadChecksum | undefined {
  if (header === undefined) return undefined;
  const [algorithm, digest, extra] = typeof header === 'string' ? header.trim().split(' ') : [];
  if (!algorithm || !digest || extra !== undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(digest)) {
    throw fieldError('Upload-Checksum', 'expected "<algorithm> <base64 digest>"');
  }
  if (!(TUS_CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw fieldError(
      'Upload-Checksum',
      `unsupported algorithm ${algorithm} (use ${TUS_CHECKSUM_ALGORITHMS.join(', ')})`,
    );
  }
  return { algorithm: algorithm as TusChecksumAlgorithm, digest: Buffer.from(digest, 'base64') };
}

/** Upload-Expires takes an HTTP date (RFC 9110 IMF-fixdate). */
export const httpDate = (time: Date): string => time.toUTCString();

import { createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { keyFingerprint } from '../../products/recordings/evidence/evidence-format';
import type { CountAndBytes } from './tenant-inventory';

export const CERTIFICATE_FORMAT = 'deletion-certificate/v1';

/** What a deletion certificate states (Art. 12.4): the signed JSON document, field for field. */
export interface DeletionCertificate {
  format: typeof CERTIFICATE_FORMAT;
  certificateId: string;
  tenant: { id: string; name: string };
  contractId: string;
  serviceEndDate: string;
  startedAt: string;
  finishedAt: string;
  /** Stored objects (recordings, evidence exports, uploads...) by category, before deletion. */
  objects: Record<string, CountAndBytes>;
  /** FlexDPlayer delivery files under the data directory. */
  files: CountAndBytes;
  /** Rows deleted, by table. */
  rows: Record<string, number>;
  totals: { objects: number; objectBytes: number; files: number; fileBytes: number; rows: number };
  /** The tenant data keys destroyed: what every stored object was encrypted under. */
  destroyedKeyIds: string[];
  /** What was kept: the vendor's contract, invoice and payment records, and the tenant row marked terminated. */
  kept: string[];
  softwareVersion: string;
  signature: { algorithm: 'Ed25519'; keyFingerprint: string };
}

export interface SignedCertificate {
  /** The exact text signed (pretty-printed JSON, UTF-8): what is downloaded as the .json file. */
  document: string;
  /** Base64 Ed25519 signature over `document`: the detached .sig file. */
  signature: string;
}

export function signCertificate(certificate: DeletionCertificate, privateKey: KeyObject): SignedCertificate {
  const document = `${JSON.stringify(certificate, null, 2)}\n`;
  return { document, signature: sign(null, Buffer.from(document, 'utf8'), privateKey).toString('base64') };
}

export interface CertificateCheck {
  ok: boolean;
  problems: string[];
  certificate: DeletionCertificate | null;
  keyFingerprint: string | null;
}

/**
 * Checks a certificate against the evidence public key: the signature over the document's exact
 * bytes, then that the document names that key and is the format this code writes. Never throws on a
 * damaged document: every finding is a problem.
 */
export function verifyDeletionCertificate(
  document: string | Buffer,
  signatureBase64: string,
  publicKey: string | KeyObject,
): CertificateCheck {
  const bytes = Buffer.isBuffer(document) ? document : Buffer.from(document, 'utf8');
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const fingerprint = keyFingerprint(key);
  const problems: string[] = [];
  const signature = Buffer.from(signatureBase64.trim(), 'base64');
  let valid = false;
  try {
    valid = signature.length === 64 && verify(null, bytes, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) problems.push('the signature does not match the document and this public key');
  let certificate: DeletionCertificate | null = null;
  try {
    certificate = JSON.parse(bytes.toString('utf8')) as DeletionCertificate;
  } catch (error) {
    problems.push(`the document is not JSON: ${(error as Error).message}`);
  }
  if (certificate) {
    if (certificate.format !== CERTIFICATE_FORMAT) problems.push(`format is not ${CERTIFICATE_FORMAT}`);
    if (certificate.signature?.keyFingerprint !== fingerprint)
      problems.push(`the document names key ${certificate.signature?.keyFingerprint}, checked with ${fingerprint}`);
  }
  return { ok: problems.length === 0, problems, certificate, keyFingerprint: fingerprint };
}

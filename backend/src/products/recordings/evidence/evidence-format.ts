import { createHash, createPublicKey, KeyObject } from 'node:crypto';

/**
 * The layout of an evidence ZIP, shared by the writer on the server and the verifier that runs
 * anywhere (CLI, upload endpoint). Changing a name here changes the format: bump EVIDENCE_FORMAT.
 */
export const EVIDENCE_FORMAT = 'call-recording-evidence/1';
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
/** Informational copy of the signing key; the verifier trusts it only when told to (see verifier). */
export const PUBLIC_KEY_PATH = 'public-key.pem';
export const README_PATH = 'README.txt';
export const CSV_PATH = 'calls.csv';

export const callFolder = (callId: string) => `calls/${callId}`;

/** `audio.opus` for a call's only recording, `audio-2.opus`… when a call has several. */
export const audioPath = (callId: string, index: number) =>
  `${callFolder(callId)}/${index === 0 ? 'audio.opus' : `audio-${index + 1}.opus`}`;

export const metadataPath = (callId: string) => `${callFolder(callId)}/metadata.json`;

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** What manifest.json holds; manifest.sig is an Ed25519 signature over its exact bytes. */
export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  exportId: string;
  createdAt: string;
  tenant: { id: string; name: string };
  exportedBy: { id: string | null; email: string | null };
  /** The request as made: explicit call ids, a search filter, or a number. */
  query: unknown;
  calls: number;
  signature: { algorithm: 'Ed25519'; keyFingerprint: string; file: typeof SIGNATURE_PATH };
  files: ManifestFile[];
}

/** `sha256:<hex>` of the key's DER SubjectPublicKeyInfo: what people compare by eye or by phone. */
export function keyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Names the manifest itself and its signature: never listed in files, never "added". */
export const SIGNED_ENVELOPE = new Set([MANIFEST_PATH, SIGNATURE_PATH]);

import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { Readable } from 'node:stream';
import { Entry, openPromise, ZipFile } from 'yauzl';
import {
  EVIDENCE_FORMAT,
  EvidenceManifest,
  keyFingerprint,
  MANIFEST_PATH,
  ManifestFile,
  PUBLIC_KEY_PATH,
  SIGNATURE_PATH,
  SIGNED_ENVELOPE,
} from './evidence-format';

/** The archive as a whole rather than one file in it. */
export const ARCHIVE = '(archive)';

export type EvidenceProblemKind =
  | 'changed'
  | 'missing'
  | 'added'
  | 'duplicate'
  | 'manifest-signature'
  | 'manifest-missing'
  | 'manifest-invalid'
  | 'unreadable'
  | 'too-large';

export interface EvidenceProblem {
  file: string;
  problem: EvidenceProblemKind;
  detail: string;
}

export interface EvidenceReport {
  ok: boolean;
  /**
   * Which key the signature was checked with: `trusted` (given by the caller: the published key),
   * `embedded` (public-key.pem from inside the ZIP, which proves the files match the manifest but
   * not who signed it), or `none` (no key at all).
   */
  keySource: 'trusted' | 'embedded' | 'none';
  keyFingerprint: string | null;
  /** Whether public-key.pem inside the ZIP is the key used (null when absent or not compared). */
  embeddedKeyMatches: boolean | null;
  manifest: Pick<EvidenceManifest, 'exportId' | 'createdAt' | 'tenant' | 'exportedBy' | 'calls' | 'query'> | null;
  checkedFiles: number;
  problems: EvidenceProblem[];
}

export interface VerifyOptions {
  /** PEM (or key object) of the key the export must be signed with; without it the embedded key is used. */
  trustedPublicKey?: string | KeyObject;
  /** Stop with `too-large` past this many decompressed bytes (upload endpoint); default no limit. */
  maxUncompressedBytes?: number;
}

const SMALL_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * Checks an evidence ZIP against its signed manifest: the Ed25519 signature over manifest.json,
 * then every listed file's size and SHA-256, then any file the manifest does not list. Reads the
 * archive from its central directory (what unzip tools show), never extracts, and never throws on
 * a damaged archive: every finding is a problem naming the file.
 */
export async function verifyEvidenceZip(zipPath: string, options: VerifyOptions = {}): Promise<EvidenceReport> {
  const report: EvidenceReport = {
    ok: false,
    keySource: 'none',
    keyFingerprint: null,
    embeddedKeyMatches: null,
    manifest: null,
    checkedFiles: 0,
    problems: [],
  };
  const problem = (file: string, kind: EvidenceProblemKind, detail: string) =>
    report.problems.push({ file, problem: kind, detail });
  // A bad trusted key is the caller's mistake, not a finding about the archive.
  const trusted = options.trustedPublicKey ? asPublicKey(options.trustedPublicKey) : undefined;
  let zip: ZipFile;
  try {
    zip = await openPromise(zipPath, { autoClose: false, validateEntrySizes: true });
  } catch (error) {
    problem(ARCHIVE, 'unreadable', `not a readable ZIP: ${(error as Error).message}`);
    return report;
  }
  try {
    await check(zip, { ...options, trustedPublicKey: trusted }, report, problem);
  } catch (error) {
    problem(ARCHIVE, 'unreadable', (error as Error).message);
  } finally {
    zip.close();
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function check(
  zip: ZipFile,
  options: VerifyOptions,
  report: EvidenceReport,
  problem: (file: string, kind: EvidenceProblemKind, detail: string) => void,
): Promise<void> {
  const entries = new Map<string, Entry>();
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    if (entries.has(entry.fileName)) problem(entry.fileName, 'duplicate', 'the ZIP holds two files of this name');
    else entries.set(entry.fileName, entry);
  }
  const manifestEntry = entries.get(MANIFEST_PATH);
  const signatureEntry = entries.get(SIGNATURE_PATH);
  if (!manifestEntry) return problem(MANIFEST_PATH, 'manifest-missing', 'the ZIP has no manifest.json');
  const manifestBytes = await readSmall(zip, manifestEntry);
  if (manifestBytes instanceof Error)
    return problem(MANIFEST_PATH, 'manifest-invalid', `cannot be read: ${manifestBytes.message}`);
  const embedded = entries.get(PUBLIC_KEY_PATH);
  const embeddedBytes = embedded ? await readSmall(zip, embedded) : null;
  // An unreadable public-key.pem is reported below as a changed file (the manifest lists it).
  const embeddedPem = embeddedBytes instanceof Buffer ? embeddedBytes.toString('utf8') : null;

  const key = chooseKey(options.trustedPublicKey, embeddedPem, report);
  if (!key) problem(MANIFEST_PATH, 'manifest-signature', 'no public key to check the signature with');
  else if (!signatureEntry) problem(SIGNATURE_PATH, 'manifest-signature', 'the ZIP has no manifest.sig');
  else {
    const raw = await readSmall(zip, signatureEntry);
    const signature = raw instanceof Error ? Buffer.alloc(0) : Buffer.from(raw.toString('ascii').trim(), 'base64');
    if (raw instanceof Error) problem(SIGNATURE_PATH, 'manifest-signature', `cannot be read: ${raw.message}`);
    else if (!verify(null, manifestBytes, key, signature)) {
      problem(MANIFEST_PATH, 'manifest-signature', signatureFailure(manifestBytes, report.keyFingerprint));
    }
  }

  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === 'string') return problem(MANIFEST_PATH, 'manifest-invalid', manifest);
  const { exportId, createdAt, tenant, exportedBy, calls, query } = manifest;
  report.manifest = { exportId, createdAt, tenant, exportedBy, calls, query };

  let budget = options.maxUncompressedBytes ?? Number.POSITIVE_INFINITY;
  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const entry = entries.get(file.path);
    if (!entry) {
      problem(file.path, 'missing', 'listed in the manifest, absent from the ZIP');
      continue;
    }
    budget -= entry.uncompressedSize;
    if (budget < 0) return problem(ARCHIVE, 'too-large', 'more decompressed data than this verifier accepts');
    report.checkedFiles += 1;
    const actual = await digest(zip, entry);
    if (typeof actual === 'string') problem(file.path, 'changed', `cannot be read: ${actual}`);
    else if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
      problem(
        file.path,
        'changed',
        `manifest: ${file.bytes} bytes, SHA-256 ${file.sha256}; ZIP: ${actual.bytes} bytes, SHA-256 ${actual.sha256}`,
      );
    }
  }
  for (const name of entries.keys()) {
    if (!listed.has(name) && !SIGNED_ENVELOPE.has(name)) problem(name, 'added', 'in the ZIP, not in the manifest');
  }
}

function asPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return createPublicKey(key);
  } catch (error) {
    throw new Error(`the trusted public key is not a PEM public key: ${(error as Error).message}`);
  }
}

function chooseKey(trusted: VerifyOptions['trustedPublicKey'], embeddedPem: string | null, report: EvidenceReport) {
  let key: KeyObject | null = null;
  if (trusted) {
    key = asPublicKey(trusted);
    report.keySource = 'trusted';
  } else if (embeddedPem) {
    try {
      key = createPublicKey(embeddedPem);
      report.keySource = 'embedded';
    } catch {
      return null;
    }
  }
  if (!key) return null;
  report.keyFingerprint = keyFingerprint(key);
  if (embeddedPem && report.keySource === 'trusted') {
    try {
      report.embeddedKeyMatches = keyFingerprint(embeddedPem) === report.keyFingerprint;
    } catch {
      report.embeddedKeyMatches = false;
    }
  }
  return key;
}

/** Says whether the manifest names another key, so "wrong key" reads differently from "edited". */
function signatureFailure(manifestBytes: Buffer, used: string | null): string {
  let named: unknown;
  try {
    named = JSON.parse(manifestBytes.toString('utf8'))?.signature?.keyFingerprint;
  } catch {
    named = undefined;
  }
  const base = 'the signature does not match manifest.json: the manifest was changed or replaced';
  return typeof named === 'string' && named !== used
    ? `${base}, or it was signed by another key (manifest names ${named}, checked with ${used})`
    : base;
}

function parseManifest(bytes: Buffer): EvidenceManifest | string {
  let json: EvidenceManifest;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (json?.format !== EVIDENCE_FORMAT) return `format is ${JSON.stringify(json?.format)}, expected ${EVIDENCE_FORMAT}`;
  if (!Array.isArray(json.files) || !json.files.every(isManifestFile))
    return 'files is not a list of {path, bytes, sha256}';
  return json;
}

const isManifestFile = (f: ManifestFile) =>
  typeof f?.path === 'string' &&
  Number.isSafeInteger(f.bytes) &&
  typeof f.sha256 === 'string' &&
  /^[0-9a-f]{64}$/.test(f.sha256);

/** The whole content of a small entry (manifest, signature, key), or why it cannot be read. */
async function readSmall(zip: ZipFile, entry: Entry): Promise<Buffer | Error> {
  if (entry.uncompressedSize > SMALL_FILE_LIMIT)
    return new Error(`${entry.uncompressedSize} bytes is implausibly large`);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  } catch (error) {
    return error as Error;
  }
  return Buffer.concat(chunks);
}

/** Size and SHA-256 of an entry's content, or why it cannot be read (bad compressed data, wrong size). */
async function digest(zip: ZipFile, entry: Entry): Promise<{ bytes: number; sha256: string } | string> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const stream: Readable = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    return (error as Error).message;
  }
  return { bytes, sha256: hash.digest('hex') };
}

import { createHash, KeyObject, sign } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import { EVIDENCE_FORMAT, EvidenceManifest, MANIFEST_PATH, ManifestFile, SIGNATURE_PATH } from './evidence-format';

export interface EvidenceSigner {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

export type ManifestHead = Omit<EvidenceManifest, 'format' | 'signature' | 'files'>;

export interface StreamEntryOptions {
  compress?: boolean;
  /** The SHA-256 the bytes must have (a recording's stored hash); a mismatch fails the whole ZIP. */
  expectSha256?: string;
  onDone?: () => void;
}

export class EvidenceIntegrityError extends Error {
  override readonly name = 'EvidenceIntegrityError';
}

/**
 * Writes an evidence ZIP as a stream: files go out one after another as the reader pulls (only one
 * source is open at a time, nothing is held whole in memory), each hashed on the way through; the
 * manifest with every file's SHA-256 and its Ed25519 signature come last, when all hashes are known.
 */
export class EvidenceZipWriter {
  readonly output: Readable;
  private readonly zip = new ZipFile();
  private readonly files: ManifestFile[] = [];
  private readonly paths = new Set<string>();
  /** The one source being read now, closed if the ZIP fails so no storage read stays open. */
  private active: Readable | null = null;

  constructor(
    private readonly signer: EvidenceSigner,
    private readonly mtime = new Date(),
  ) {
    this.output = this.zip.outputStream as PassThrough;
    this.zip.on('error', (error: Error) => this.abort(error));
    // yazl starts writing before anyone reads, so a failure can come before the consumer listens: the
    // error stays on the stream (output.errored) and rejects any pipeline attached later, never crashing.
    this.output.on('error', () => undefined);
  }

  /** Files added so far, not counting the manifest and its signature. */
  get fileCount(): number {
    return this.files.length;
  }

  addBuffer(path: string, data: Buffer, compress = true): void {
    this.claim(path);
    this.files.push({ path, bytes: data.length, sha256: sha256(data) });
    this.zip.addBuffer(data, path, { compress, mtime: this.mtime });
  }

  /** A file whose source is opened only when its turn in the ZIP comes. */
  addStream(path: string, open: () => Promise<Readable>, options: StreamEntryOptions = {}): void {
    this.claim(path);
    const record: ManifestFile = { path, bytes: 0, sha256: '' };
    this.files.push(record);
    const abort = (error: Error) => this.abort(error);
    this.zip.addReadStreamLazy(path, { compress: options.compress ?? true, mtime: this.mtime }, (ready) => {
      open().then((source) => {
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            record.bytes += chunk.length;
            done(null, chunk);
          },
          flush(done) {
            record.sha256 = hash.digest('hex');
            if (options.expectSha256 && options.expectSha256 !== record.sha256) {
              return done(
                new EvidenceIntegrityError(
                  `${path}: stored content has SHA-256 ${record.sha256}, expected ${options.expectSha256}`,
                ),
              );
            }
            options.onDone?.();
            done();
          },
        });
        // yazl pipes lazy streams without listening for their errors: a storage failure must end the ZIP.
        source.on('error', abort);
        tap.on('error', abort);
        this.active = source;
        ready(null, source.pipe(tap));
      }, abort);
    });
  }

  /** Adds manifest.json and manifest.sig after everything added so far, and closes the ZIP. */
  finish(head: ManifestHead): void {
    let manifestBytes: Buffer | null = null;
    this.zip.addReadStreamLazy(MANIFEST_PATH, { mtime: this.mtime }, (ready) => {
      const manifest: EvidenceManifest = {
        format: EVIDENCE_FORMAT,
        ...head,
        signature: { algorithm: 'Ed25519', keyFingerprint: this.signer.fingerprint, file: SIGNATURE_PATH },
        files: this.files,
      };
      manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
      ready(null, bufferStream(manifestBytes));
    });
    this.zip.addReadStreamLazy(SIGNATURE_PATH, { compress: false, mtime: this.mtime }, (ready) => {
      if (!manifestBytes) return ready(new Error('manifest was not written before its signature'), bufferStream());
      const signature = sign(null, manifestBytes, this.signer.privateKey).toString('base64');
      ready(null, bufferStream(Buffer.from(signature + '\n', 'ascii')));
    });
    this.zip.end();
  }

  abort(error: Error): void {
    if (!this.output.destroyed) this.output.destroy(error);
    if (this.active && !this.active.destroyed) this.active.destroy();
  }

  private claim(path: string): void {
    if (this.paths.has(path) || path === MANIFEST_PATH || path === SIGNATURE_PATH)
      throw new Error(`evidence ZIP: ${path} added twice`);
    this.paths.add(path);
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const bufferStream = (data: Buffer = Buffer.alloc(0)) => new PassThrough().end(data);

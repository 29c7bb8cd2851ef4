import {
  BadRequestException,
  Inject,
  Injectable,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AuditService } from '../../../core/audit/audit.service';
import { fieldError } from '../../../platform/http/field-errors';
import { EvidenceKeyService } from './evidence-key';
import { EvidenceReport, verifyEvidenceZip } from './evidence-verifier';

/** Largest ZIP the upload endpoint checks; bigger exports are verified with the CLI. */
export const VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;
/** Decompressed data one check may read (audio is stored, JSON and CSV compress a few times at most). */
const VERIFY_MAX_UNCOMPRESSED = 4 * VERIFY_UPLOAD_MAX_BYTES;

export interface UploadVerifyResult extends EvidenceReport {
  upload: { bytes: number; sha256: string };
}

/**
 * POST /api/v1/evidence/verify: the uploaded ZIP is checked against this server's published key.
 * A ZIP is read from its end (the central directory), so the upload is spooled to a 0600 file in
 * DATA_DIR/tmp for the length of the check and removed right after, whatever the outcome.
 */
@Injectable()
export class EvidenceVerifyUpload {
  private readonly spoolDir: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly keys: EvidenceKeyService,
    private readonly audit: AuditService,
  ) {
    this.spoolDir = join(config.dataDir, 'tmp');
  }

  async verify(req: IncomingMessage): Promise<UploadVerifyResult> {
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data'))
      throw new UnsupportedMediaTypeException('send multipart/form-data with the ZIP in a part named "file"');
    mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
    const path = join(this.spoolDir, `evidence-verify-${randomUUID()}.zip`);
    try {
      const upload = await this.spool(req, path);
      const { publicKeyPem } = await this.keys.publicKey();
      const report = await verifyEvidenceZip(path, {
        trustedPublicKey: publicKeyPem,
        maxUncompressedBytes: VERIFY_MAX_UNCOMPRESSED,
      });
      await this.audit.record({
        action: 'evidence.verified',
        target: report.manifest?.exportId ?? null,
        details: { ok: report.ok, problems: report.problems.length, uploadSha256: upload.sha256, bytes: upload.bytes },
      });
      return { ...report, upload };
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Writes the one file part to path; 400/413 with nothing kept on any problem. */
  private spool(req: IncomingMessage, path: string): Promise<{ bytes: number; sha256: string }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let work: Promise<{ bytes: number; sha256: string }> | undefined;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        req.unpipe(parser);
        req.resume(); // read the rest so the client gets our answer, not a reset
        reject(error);
      };
      const parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 0, fileSize: VERIFY_UPLOAD_MAX_BYTES },
      });
      parser.on('field', (name) => fail(fieldError(name, 'unknown part (send only "file")')));
      parser.on('filesLimit', () => fail(fieldError('file', 'send one ZIP only')));
      parser.on('file', (name, stream: Readable & { truncated?: boolean }) => {
        if (settled || name !== 'file') {
          stream.resume();
          return fail(fieldError(name, 'unknown part (expected "file")'));
        }
        work = this.write(stream, path);
        work.catch(fail);
      });
      parser.on('close', () => {
        if (settled) return;
        if (!work) return fail(fieldError('file', 'missing'));
        work.then((done) => {
          settled = true;
          resolve(done);
        }, fail);
      });
      parser.on('error', (error: Error) => fail(new BadRequestException(`malformed multipart body: ${error.message}`)));
      req.on('aborted', () => fail(new BadRequestException('upload aborted by the client')));
      req.pipe(parser);
    });
  }

  private async write(stream: Readable & { truncated?: boolean }, path: string) {
    const hash = createHash('sha256');
    let bytes = 0;
    // A second 'data' listener beside the pipe sees every chunk and leaves backpressure to the pipe.
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(stream, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
    // busboy cuts a file at the size limit and flags it.
    if (stream.truncated)
      throw new PayloadTooLargeException(
        `ZIP larger than ${VERIFY_UPLOAD_MAX_BYTES} bytes: use npm run evidence:verify instead`,
      );
    if (bytes === 0) throw fieldError('file', 'is empty');
    return { bytes, sha256: hash.digest('hex') };
  }
}

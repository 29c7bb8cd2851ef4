import { Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { KeyRing } from '../../../platform/crypto/key-ring';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { Recording } from '../recording.entity';
import { RecordingVault } from '../vault/recording-vault';
import { parseRange, UnsatisfiableRangeError } from './http-range';
import { ShareLinkSigner } from './share-links';

/** Serves a recording's audio over HTTP for logged-in users and for expiring share links. */
@Injectable()
export class AudioStreamer {
  readonly signer: ShareLinkSigner;

  constructor(
    @InjectTenantRepository(Recording) private readonly recordings: TenantRepository<Recording>,
    private readonly vault: RecordingVault,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    keys: KeyRing,
  ) {
    this.signer = new ShareLinkSigner(keys.sessionSecret);
  }

  /** Plays a shared link: no login, the signed token is the permission; expired or altered -> 404. */
  async playShared(token: string, rangeHeader: string | undefined, res: Response): Promise<void> {
    const payload = this.signer.verify(token);
    if (!payload) throw new NotFoundException('link expired or invalid');
    await this.context.runAsTenant(payload.tenantId, async () => {
      const recording = await this.recordings.findOne({ callId: payload.callId });
      if (!recording) throw new NotFoundException('link expired or invalid');
      await this.stream(res, payload.tenantId, payload.callId, recording, rangeHeader, 'recording.played.shared');
    });
  }

  /**
   * Streams audio with Range support. A play (a request from byte 0) and every download are
   * audited; seeks are not, or one listen would log hundreds.
   */
  async stream(
    res: Response,
    tenantId: string,
    callId: string,
    recording: Recording,
    rangeHeader: string | undefined,
    action: string,
  ): Promise<void> {
    const size = recording.bytes;
    let range;
    try {
      range = parseRange(rangeHeader, size);
    } catch (error) {
      if (!(error instanceof UnsatisfiableRangeError)) throw error;
      res.status(416).setHeader('Content-Range', `bytes */${size}`).end();
      return;
    }
    const wantsDownload = action === 'recording.downloaded';
    if (wantsDownload || !range || range.start === 0) {
      await this.audit.record({
        action,
        tenantId,
        target: callId,
        details: { recordingId: recording.id, range: rangeHeader ?? null },
      });
    }
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', 'audio/ogg; codecs=opus');
    res.setHeader('Cache-Control', 'private, no-store');
    if (wantsDownload) res.setHeader('Content-Disposition', `attachment; filename="call-${callId}.opus"`);
    const body = await this.vault.read(tenantId, recording, range ?? undefined);
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end - 1}/${size}`);
      res.setHeader('Content-Length', String(range.end - range.start));
    } else {
      res.status(200);
      res.setHeader('Content-Length', String(size));
    }
    // A listener who skips ahead closes the connection: stop reading and decrypting at once.
    await pipeline(body, res).catch(() => body.destroy());
  }
}

import { Controller, Delete, Head, HttpCode, Inject, Options, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AllowApiKey, Public, Roles } from '../../../core/auth/auth.decorators';
import { IngestResult } from './ingest.service';
import { ResumableUploadService } from './resumable-upload.service';
import { httpDate, RESULT_HEADERS, TUS_CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_VERSION } from './tus-protocol';
import { UploadSession } from './upload-session.entity';

/**
 * tus 1.0.0 endpoints for the same machine clients as POST /v1/ingest/calls, for calls too large or
 * links too slow for one request. Tus-Resumable is checked and answered by TusResumableMiddleware.
 */
@ApiTags('ingest')
@Controller('v1/ingest/uploads')
@AllowApiKey()
@Roles('tenantAdmin')
export class ResumableUploadController {
  constructor(
    private readonly uploads: ResumableUploadService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What this server speaks; tus clients may ask before authenticating. */
  @Options(['', ':id'])
  @Public()
  @HttpCode(204)
  capabilities(@Res({ passthrough: true }) res: Response): void {
    res.set({
      'Tus-Version': TUS_VERSION,
      'Tus-Extension': TUS_EXTENSIONS,
      'Tus-Max-Size': String(this.config.ingest.maxBytes),
      'Tus-Checksum-Algorithm': TUS_CHECKSUM_ALGORITHMS.join(','),
    });
  }

  /**
   * 201 with Location for a new upload; 200 with Location and Upload-Offset when one for this
   * clientRecordingId is already in progress; 200 with the first result when it is already a call.
   */
  @Post()
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<IngestResult | undefined> {
    const created = await this.uploads.create(req);
    if (created.kind === 'stored') {
      res.status(200);
      resultHeaders(res, created.result);
      return created.result;
    }
    res.status(created.kind === 'created' ? 201 : 200);
    res.setHeader('Location', `${req.originalUrl.split('?')[0].replace(/\/$/, '')}/${created.session.id}`);
    uploadHeaders(res, created.session);
    return undefined;
  }

  @Head(':id')
  async head(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<void> {
    const session = await this.uploads.find(id);
    uploadHeaders(res, session);
    res.setHeader('Upload-Length', String(session.totalBytes));
    res.setHeader('Upload-Metadata', session.uploadMetadata);
  }

  /** 204 with the new Upload-Offset; the PATCH that completes the upload also names the call it became. */
  @Patch(':id')
  @HttpCode(204)
  async append(@Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { session, result } = await this.uploads.append(id, req);
    uploadHeaders(res, session);
    if (result) resultHeaders(res, result);
  }

  @Delete(':id')
  @HttpCode(204)
  async terminate(@Param('id') id: string): Promise<void> {
    await this.uploads.terminate(id);
  }
}

function uploadHeaders(res: Response, session: UploadSession): void {
  res.setHeader('Upload-Offset', String(session.receivedBytes));
  res.setHeader('Upload-Expires', httpDate(session.expiresAt));
  res.setHeader('Cache-Control', 'no-store');
  if (session.callId && session.recordingId) {
    res.setHeader(RESULT_HEADERS.callId, session.callId);
    res.setHeader(RESULT_HEADERS.recordingId, session.recordingId);
  }
}

function resultHeaders(res: Response, result: IngestResult): void {
  res.setHeader(RESULT_HEADERS.callId, result.callId);
  res.setHeader(RESULT_HEADERS.recordingId, result.recordingId);
  res.setHeader(RESULT_HEADERS.duplicate, String(result.duplicate));
}

import {
  BadRequestException,
  Controller,
  Inject,
  Param,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { Public } from '../../../core/auth/auth.decorators';
import { fieldError } from '../../../platform/http/field-errors';
import { ConnectorsService } from '../connectors/connectors.service';
import { FlexdConnector } from '../connectors/connector.entity';
import { FlexdPaths } from '../flexdplayer-paths';
import { ConnectorScans } from '../import/connector-scans';
import { AUDIO_EXTENSIONS } from '../import/delivery-scan';
import { FileImporter } from '../import/file-importer';
import { freeName } from '../import/file-moves';
import { sidecarFormatOf } from '../mapping/sidecar-parser';

const MAX_METADATA_BYTES = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS = { imported: 201, duplicate: 200, quarantined: 202, failed: 422, retrying: 202 } as const;

interface Part {
  field: 'audio' | 'metadata';
  name: string;
  temp: string;
}

/** A file name safe to keep: no folders, no control characters, at most 200 characters. */
function safeName(raw: string | undefined, field: string): string {
  const name = (raw ?? '').replace(/^.*[\\/]/, '').trim();
  if (!name || name.startsWith('.') || [...name].some((c) => c.charCodeAt(0) < 0x20) || name.length > 200)
    throw fieldError(field, 'needs a file name (no folders, not hidden, at most 200 characters)');
  return name;
}

/**
 * HTTPS push: the carrier (or a relay) POSTs one recording as multipart/form-data, an `audio` file
 * and optionally a `metadata` sidecar file (.csv/.json/.xml), with the connector's token as Bearer.
 * Both land in the connector's inbox by rename (never half-written) and are imported at once.
 */
@ApiTags('flexdplayer')
@Controller('v1/flexdplayer/push')
export class PushController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connectors: ConnectorsService,
    private readonly paths: FlexdPaths,
    private readonly scans: ConnectorScans,
    private readonly importer: FileImporter,
  ) {}

  @Post(':connectorId')
  @Public()
  @ApiConsumes('multipart/form-data')
  async push(
    @Param('connectorId') connectorId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const connector = UUID.test(connectorId) && token ? await this.connectors.pushConnector(connectorId, token) : null;
    if (!connector) {
      req.resume();
      throw new UnauthorizedException('invalid push token');
    }
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      req.resume();
      throw new UnsupportedMediaTypeException(
        'send multipart/form-data: an "audio" file and an optional "metadata" file',
      );
    }
    const dirs = this.paths.dirs(connector);
    await mkdir(dirs.work, { recursive: true });
    const parts = await this.receive(req, dirs.work);
    try {
      const audio = parts.find((p) => p.field === 'audio');
      if (!audio) throw fieldError('audio', 'missing');
      const ext = audio.name.split('.').pop()?.toLowerCase() ?? '';
      if (!AUDIO_EXTENSIONS.includes(ext))
        throw fieldError('audio', `file name must end in .${AUDIO_EXTENSIONS.join(', .')}`);
      const metadata = parts.find((p) => p.field === 'metadata');
      const metaFormat = metadata ? sidecarFormatOf(metadata.name) : null;
      if (metadata && !metaFormat) throw fieldError('metadata', 'file name must end in .csv, .json or .xml');
      const outcome = await this.scans.exclusive(connector.id, () =>
        this.place(connector, audio, metadata, metaFormat),
      );
      res.status(STATUS[outcome.status]);
      return outcome;
    } finally {
      await Promise.all(parts.map((p) => rm(p.temp, { force: true })));
    }
  }

  /** Renames the parts into the inbox (sidecar first, under the audio's stem) and imports them. */
  private async place(connector: FlexdConnector, audio: Part, metadata: Part | undefined, metaFormat: string | null) {
    const inbox = this.paths.dirs(connector).scan;
    await mkdir(inbox, { recursive: true });
    const audioName = freeName(inbox, audio.name);
    const sidecarName = metadata ? `${audioName.replace(/\.[^.]+$/, '')}.${metaFormat}` : null;
    if (metadata && sidecarName) await rename(metadata.temp, join(inbox, sidecarName));
    await rename(audio.temp, join(inbox, audioName));
    const outcome = await this.importer.run(connector, { dir: inbox, audioName, sidecarName, markerNames: [] });
    return { ...outcome, fileName: audioName };
  }

  /** Streams the parts to temporary files; 413 past the limits, 400 for anything unexpected. */
  private receive(req: Request, workDir: string): Promise<Part[]> {
    return new Promise((resolve, reject) => {
      const parts: Part[] = [];
      const writes: Promise<void>[] = [];
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        req.unpipe(parser);
        req.resume();
        void Promise.allSettled(writes).then(() =>
          Promise.all(parts.map((p) => rm(p.temp, { force: true }))).finally(() => reject(error)),
        );
      };
      const parser = busboy({
        headers: req.headers,
        limits: { files: 2, fields: 0, fileSize: this.config.ingest.maxBytes },
      });
      parser.on('file', (field: string, stream: Readable & { truncated?: boolean }, info: { filename?: string }) => {
        if (failed) return stream.resume();
        if ((field !== 'audio' && field !== 'metadata') || parts.some((p) => p.field === field)) {
          stream.resume();
          return fail(fieldError(field, 'unexpected part (send one audio and at most one metadata file)'));
        }
        let name: string;
        try {
          name = safeName(info.filename, field);
        } catch (error) {
          stream.resume();
          return fail(error as Error);
        }
        const part: Part = { field, name, temp: join(workDir, `push-${randomUUID()}`) };
        parts.push(part);
        const limit = field === 'metadata' ? MAX_METADATA_BYTES : this.config.ingest.maxBytes;
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > limit) stream.destroy(new PayloadTooLargeException(`${field} larger than ${limit} bytes`));
        });
        writes.push(
          pipeline(stream, createWriteStream(part.temp)).then(() => {
            if (stream.truncated) throw new PayloadTooLargeException(`${field} larger than ${limit} bytes`);
          }),
        );
        writes[writes.length - 1].catch((error: Error) => fail(error));
      });
      parser.on('field', (name: string) => fail(fieldError(name, 'unexpected field (send files only)')));
      parser.on('filesLimit', () => fail(fieldError('files', 'at most one audio and one metadata file')));
      parser.on('close', () => {
        if (failed) return;
        Promise.all(writes).then(() => resolve(parts), fail);
      });
      parser.on('error', (error: Error) => fail(new BadRequestException(`malformed multipart body: ${error.message}`)));
      req.pipe(parser);
    });
  }
}

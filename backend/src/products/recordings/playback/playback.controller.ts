import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { SHARE_MAX_HOURS } from './share-links';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { fieldError } from '../../../platform/http/field-errors';
import { AudioStreamer } from './audio-streamer';
import { TRANSCODER, Transcoder } from '../../../platform/transcoder/transcoder';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AuditService } from '../../../core/audit/audit.service';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { Recording } from '../recording.entity';
import { CallSearchService } from '../search/call-search.service';
import { RecordingVault } from '../vault/recording-vault';

export class ShareDto {
  @ApiProperty({ minimum: 1, maximum: SHARE_MAX_HOURS }) @IsInt() @Min(1) @Max(SHARE_MAX_HOURS) expiresInHours!: number;
}

@ApiTags('calls')
@Controller('v1/calls')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class PlaybackController {
  constructor(
    private readonly search: CallSearchService,
    @InjectTenantRepository(Recording) private readonly recordings: TenantRepository<Recording>,
    private readonly vault: RecordingVault,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    @Inject(TRANSCODER) private readonly transcoder: Transcoder,
    private readonly streamer: AudioStreamer,
    private readonly policies: RecordingPolicyService,
  ) {}

  /** The recording a caller may see: the same visibility rules as search, 404 otherwise. */
  private async recordingOf(callId: string): Promise<Recording> {
    const call = await this.search.findVisible(callId);
    const recording = call && (await this.recordings.findOne({ callId }));
    if (!recording) throw new NotFoundException('recording not found');
    return recording;
  }

  /**
   * Streams the Ogg Opus audio, decrypting on the fly. Range requests get 206 with only the chunks
   * they touch decrypted, so a one-hour call starts at once and seeks anywhere. A play (a request
   * from byte 0) and every download are audited; seeks are not, or one listen would log hundreds.
   */
  @Get(':id/audio')
  async audio(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('range') rangeHeader: string | undefined,
    @Query('download') download: string | undefined,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ) {
    const recording = await this.recordingOf(id);
    if (format !== undefined && format !== 'opus' && format !== 'wav') {
      throw fieldError('format', 'must be opus or wav');
    }
    if (format === 'wav') return this.wav(id, recording, res);
    const wantsDownload = download === '1' || download === 'true';
    await this.streamer.stream(
      res,
      this.context.tenantId(),
      id,
      recording,
      rangeHeader,
      wantsDownload ? 'recording.downloaded' : 'recording.played',
    );
  }

  /** Creates an expiring link that plays this call without logging in (tenant admins and supervisors). */
  @Post(':id/share')
  @Roles('tenantAdmin', 'supervisor')
  async share(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ShareDto) {
    await this.recordingOf(id);
    const { shareLinkMaxHours } = await this.policies.get();
    if (dto.expiresInHours > shareLinkMaxHours) {
      throw fieldError('expiresInHours', `may be at most ${shareLinkMaxHours} hours (the organisation's limit)`);
    }
    const exp = Math.floor(Date.now() / 1000) + dto.expiresInHours * 3600;
    const token = this.streamer.signer.sign({ tenantId: this.context.tenantId(), callId: id, exp });
    await this.audit.record({ action: 'recording.shared', target: id, details: { expiresAt: new Date(exp * 1000) } });
    return { url: `/api/v1/shared/${token}/audio`, expiresAt: new Date(exp * 1000) };
  }

  /** The recording decoded to 16-bit PCM WAV (for tools that cannot play Opus), always a download. */
  private async wav(id: string, recording: Recording, res: Response) {
    await this.audit.record({
      action: 'recording.downloaded',
      target: id,
      details: { recordingId: recording.id, format: 'wav' },
    });
    const ogg = await this.vault.read(this.context.tenantId(), recording);
    const wav = this.transcoder.toWav(ogg, { durationMs: recording.durationMs });
    res.status(200);
    res.setHeader('Content-Type', 'audio/wav');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="call-${id}.wav"`);
    await pipeline(wav, res).catch(() => wav.destroy());
  }

  /** Waveform peaks computed at ingest, for the player to draw before any audio arrives. */
  @Get(':id/peaks')
  async peaks(@Param('id', new ParseUUIDPipe()) id: string) {
    const recording = await this.recordingOf(id);
    return { durationMs: recording.durationMs, peaks: recording.peaks ? JSON.parse(recording.peaks) : [] };
  }
}

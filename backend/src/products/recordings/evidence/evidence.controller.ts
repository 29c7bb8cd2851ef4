import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Public, Roles } from '../../../core/auth/auth.decorators';
import { JobView } from '../../../core/jobs/jobs.service';
import { EvidenceExportDto } from './evidence-export.dto';
import { EvidenceExportService } from './evidence-export.service';
import { EvidenceKeyService, EvidencePublicKey } from './evidence-key';
import { EvidenceVerifyUpload, UploadVerifyResult } from './evidence-verify-upload';

/**
 * Evidence exports (Art. 14.6, APPI Art. 33 disclosure). Exporting is reading, so auditors may do it;
 * operators may not: a disclosure leaves the company and is the job of those who answer for it.
 */
@ApiTags('evidence')
@Controller('v1/evidence')
@Roles('tenantAdmin', 'supervisor', 'auditor')
export class EvidenceController {
  constructor(
    private readonly exports: EvidenceExportService,
    private readonly keys: EvidenceKeyService,
    private readonly uploads: EvidenceVerifyUpload,
  ) {}

  /** Public: whoever receives an export must be able to fetch the key without an account. */
  @Get('public-key')
  @Public()
  async publicKey(@Query('format') format: string | undefined, @Res({ passthrough: true }) res: Response) {
    const key: EvidencePublicKey = await this.keys.publicKey();
    if (format !== 'pem') return key;
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.setHeader('Content-Disposition', 'attachment; filename="evidence-public-key.pem"');
    return key.publicKeyPem;
  }

  @Post('exports')
  @HttpCode(202)
  start(@Body() dto: EvidenceExportDto): Promise<JobView> {
    return this.exports.request(dto);
  }

  @Get('exports/:jobId/download')
  async download(@Param('jobId', new ParseUUIDPipe()) jobId: string, @Res() res: Response): Promise<void> {
    const { stream, result } = await this.exports.download(jobId);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Length', String(result.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="${result.fileName}"`);
    res.setHeader('X-Content-SHA256', result.sha256);
    await pipeline(stream, res);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  verify(@Req() req: Request): Promise<UploadVerifyResult> {
    return this.uploads.verify(req);
  }
}

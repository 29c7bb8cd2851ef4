import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowApiKey, Roles } from '../../../core/auth/auth.decorators';
import { IngestService } from './ingest.service';

@ApiTags('ingest')
@Controller('v1/ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  /** Machine clients (site or connector API keys) and tenant admins upload one call at a time. */
  @Post('calls')
  @AllowApiKey()
  @Roles('tenantAdmin')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.ingest.receive(req);
    if (result.duplicate) res.status(200);
    return result;
  }
}

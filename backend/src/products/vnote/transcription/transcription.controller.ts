import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequiresProduct } from '../../../core/tenancy/product-access';
import { TranscriptionService } from './transcription.service';
import { VnoteSettingsService } from './vnote-settings.service';

/** FlexVNote transcripts, jobs, dead letters and settings: docs/vnote/transcription-api.md. */
@ApiTags('vnote')
@RequiresProduct('flexvnote')
@Controller('v1/vnote')
export class TranscriptionController {
  constructor(
    private readonly transcription: TranscriptionService,
    private readonly settings: VnoteSettingsService,
  ) {}

  @Get('calls/:callId/transcript')
  @Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
  transcript(@Param('callId') callId: string) {
    return this.transcription.transcript(callId);
  }

  @Post('calls/:callId/transcribe')
  @Roles('tenantAdmin', 'supervisor')
  @HttpCode(202)
  transcribe(@Param('callId') callId: string, @Body() body: unknown) {
    return this.transcription.retranscribe(callId, body);
  }

  @Get('jobs')
  @Roles('tenantAdmin', 'supervisor')
  jobs(@Query() query: Record<string, string | undefined>) {
    return this.transcription.jobs(query);
  }

  @Get('jobs/:transcriptId')
  @Roles('tenantAdmin', 'supervisor')
  job(@Param('transcriptId') id: string) {
    return this.transcription.job(id);
  }

  @Get('dead-letters')
  @Roles('tenantAdmin', 'supervisor')
  deadLetters(@Query() query: Record<string, string | undefined>) {
    return this.transcription.listDeadLetters(query);
  }

  @Post('dead-letters/:id/retry')
  @Roles('tenantAdmin', 'supervisor')
  @HttpCode(202)
  retry(@Param('id') id: string) {
    return this.transcription.retryDeadLetter(id);
  }

  @Get('settings')
  @Roles('tenantAdmin', 'supervisor')
  async getSettings() {
    return this.settings.view(await this.transcription.requireProduct());
  }

  @Put('settings')
  @Roles('tenantAdmin')
  async putSettings(@Body() body: unknown) {
    return this.settings.update(await this.transcription.requireProduct(), body);
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { JobView } from '../../../core/jobs/jobs.service';
import { DeletionConfirmDto, DeletionPreviewDto } from './deletion.dto';
import { DeletionPreview, DeletionService } from './deletion.service';

/** The deletion tool: preview a filter, then confirm it; the deletion runs as a job (GET /api/v1/jobs/:id). */
@ApiTags('recordings')
@Controller('v1/recordings/deletions')
@Roles('tenantAdmin')
export class DeletionController {
  constructor(private readonly deletions: DeletionService) {}

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  preview(@Body() dto: DeletionPreviewDto): Promise<DeletionPreview> {
    return this.deletions.preview(dto.filter);
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  confirm(@Body() dto: DeletionConfirmDto): Promise<JobView> {
    return this.deletions.confirm(dto.filter, dto.confirmToken);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { Roles } from '../../../core/auth/auth.decorators';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldError } from '../../../platform/http/field-errors';
import { CarrierLinesService } from '../lines/carrier-lines.service';
import { FLEXD_READERS } from '../mapping/mapping-profiles.controller';
import { DeliveredFile, FILE_STATUSES, FileStatus } from './delivered-file.entity';
import { QuarantineRelease } from './quarantine-release';
import { RequiresProduct } from '../../../core/tenancy/product-access';

export class FileListQuery {
  @ApiPropertyOptional({ enum: FILE_STATUSES }) @IsOptional() @IsIn(FILE_STATUSES) status?: FileStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() connectorId?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class AssignLineDto {
  @ApiPropertyOptional() @IsString() @IsUUID() lineId!: string;
}

export const fileView = (f: DeliveredFile) => ({
  id: f.id,
  connectorId: f.connectorId,
  fileName: f.fileName,
  storedName: f.storedName,
  sidecarName: f.sidecarName,
  status: f.status,
  reason: f.reason,
  sha256: f.sha256,
  bytes: f.bytes === null ? null : Number(f.bytes),
  ownNumber: f.ownNumber,
  parsed: f.parsed ? (JSON.parse(f.parsed) as unknown) : null,
  callId: f.callId,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});

/** Delivered files of the tenant: failed ones (with reasons, retry) and quarantined ones (assign to a line). */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/files')
export class DeliveredFilesController {
  constructor(
    @InjectTenantRepository(DeliveredFile) private readonly files: TenantRepository<DeliveredFile>,
    private readonly release: QuarantineRelease,
    private readonly lines: CarrierLinesService,
  ) {}

  /** Newest first; `?status=failed` or `?status=quarantined` for the two lists people act on. */
  @Get()
  @Roles(...FLEXD_READERS)
  async list(@Query() q: FileListQuery) {
    const qb = this.files
      .query('f')
      .orderBy('f.createdAt', 'DESC')
      .take(q.limit ?? 100);
    if (q.status) qb.andWhere('f.status = :status', { status: q.status });
    if (q.connectorId) qb.andWhere('f.connectorId = :connectorId', { connectorId: q.connectorId });
    return (await qb.getMany()).map(fileView);
  }

  @Get(':id')
  @Roles(...FLEXD_READERS)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return fileView(await this.files.get({ id }));
  }

  /** Imports a failed file again (after the profile, line or ffmpeg was fixed). */
  @Post(':id/retry')
  @Roles('tenantAdmin')
  @HttpCode(200)
  async retry(@Param('id', ParseUUIDPipe) id: string) {
    const row = await this.files.get({ id });
    if (row.status !== 'failed')
      throw fieldError('status', `only failed files are retried (this one is ${row.status})`);
    return this.release.again(row);
  }

  /** Imports a quarantined file as a call of the given carrier line. */
  @Post(':id/assign')
  @Roles('tenantAdmin')
  @HttpCode(200)
  async assign(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignLineDto) {
    const row = await this.files.get({ id });
    if (row.status !== 'quarantined')
      throw fieldError('status', `only quarantined files are assigned (this one is ${row.status})`);
    const line = await this.lines.get(dto.lineId).catch(() => {
      throw fieldError('lineId', 'no such carrier line in this tenant');
    });
    return this.release.again(row, line);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../core/auth/auth.decorators';
import { ConnectorScans } from '../import/connector-scans';
import { FLEXD_READERS } from '../mapping/mapping-profiles.controller';
import { CreateConnectorDto, UpdateConnectorDto } from './connector.dto';
import { ConnectorsService } from './connectors.service';
import { SftpRuntime } from './sftp-runtime';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** Connectors of the current tenant: tenant admins manage them and scan on demand; auditors read. */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/connectors')
export class ConnectorsController {
  constructor(
    private readonly connectors: ConnectorsService,
    private readonly scans: ConnectorScans,
    private readonly sftp: SftpRuntime,
  ) {}

  @Get()
  @Roles(...FLEXD_READERS)
  list() {
    return this.connectors.list();
  }

  /** An https-push connector's answer carries `pushToken`, shown this once. */
  @Post()
  @Roles('tenantAdmin')
  async create(@Body() dto: CreateConnectorDto) {
    const created = await this.connectors.create(dto);
    await this.sftp.syncPullers();
    return created;
  }

  @Get(':id')
  @Roles(...FLEXD_READERS)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.connectors.get(id);
  }

  @Patch(':id')
  @Roles('tenantAdmin')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateConnectorDto) {
    const updated = await this.connectors.update(id, dto);
    await this.sftp.syncPullers();
    return updated;
  }

  @Delete(':id')
  @Roles('tenantAdmin')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.connectors.remove(id);
    await this.sftp.syncPullers();
  }

  /** An sftp-pull connector's puller: last poll and success, the error in words, the pinned host key. */
  @Get(':id/pull-status')
  @Roles(...FLEXD_READERS)
  async pullStatus(@Param('id', ParseUUIDPipe) id: string) {
    await this.connectors.get(id); // another tenant's connector: 404
    return { status: this.sftp.pullStatus(id) };
  }

  @Post(':id/push-token')
  @Roles('tenantAdmin')
  rotateToken(@Param('id', ParseUUIDPipe) id: string) {
    return this.connectors.rotatePushToken(id);
  }

  /** Scans now: 200 with what happened to each file, or 202 with a job for a large batch. */
  @Post(':id/scan')
  @Roles('tenantAdmin')
  async scan(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    const result = await this.scans.onDemand(await this.connectors.row(id));
    res.status('job' in result ? 202 : 200);
    return result;
  }
}

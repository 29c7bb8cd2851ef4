import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { FLEXD_READERS } from '../mapping/mapping-profiles.controller';
import { QuarantineRelease } from '../import/quarantine-release';
import { CarrierLinesService, CreateLineDto, UpdateLineDto } from './carrier-lines.service';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** Carrier lines: tenant admins manage them, auditors read. A new line releases its quarantined files. */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/lines')
export class CarrierLinesController {
  constructor(
    private readonly lines: CarrierLinesService,
    private readonly release: QuarantineRelease,
  ) {}

  @Get()
  @Roles(...FLEXD_READERS)
  list() {
    return this.lines.list();
  }

  @Get(':id')
  @Roles(...FLEXD_READERS)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.lines.get(id);
  }

  /** Creates the line, then imports the quarantined files of its number (`released`: how many). */
  @Post()
  @Roles('tenantAdmin')
  async create(@Body() dto: CreateLineDto) {
    const line = await this.lines.create(dto);
    const released = await this.release.forLine(line);
    return { ...line, released };
  }

  @Patch(':id')
  @Roles('tenantAdmin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateLineDto) {
    return this.lines.update(id, dto);
  }

  @Delete(':id')
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.lines.remove(id);
  }
}

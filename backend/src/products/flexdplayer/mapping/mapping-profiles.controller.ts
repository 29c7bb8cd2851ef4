import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { CreateMappingProfileDto, TestMappingDto, UpdateMappingProfileDto } from './mapping-profile.dto';
import { MappingProfilesService } from './mapping-profiles.service';
import { RequiresProduct } from '../../../core/tenancy/product-access';

export const FLEXD_READERS = ['tenantAdmin', 'auditor'] as const;

/** Mapping profiles: tenant admins edit and test them; auditors read. `default` is the built-in one. */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/mapping-profiles')
export class MappingProfilesController {
  constructor(private readonly profiles: MappingProfilesService) {}

  @Get()
  @Roles(...FLEXD_READERS)
  list() {
    return this.profiles.list();
  }

  @Get(':id')
  @Roles(...FLEXD_READERS)
  get(@Param('id') id: string) {
    return this.profiles.get(id);
  }

  @Post()
  @Roles('tenantAdmin')
  create(@Body() dto: CreateMappingProfileDto) {
    return this.profiles.create(dto);
  }

  @Patch(':id')
  @Roles('tenantAdmin')
  update(@Param('id') id: string, @Body() dto: UpdateMappingProfileDto) {
    return this.profiles.update(id, dto);
  }

  @Delete(':id')
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove(@Param('id') id: string) {
    return this.profiles.remove(id);
  }

  /** Parses a sample file name (and sidecar text) with this profile: the fields, or an error per field. */
  @Post(':id/test')
  @Roles('tenantAdmin')
  @HttpCode(200)
  test(@Param('id') id: string, @Body() dto: TestMappingDto) {
    return this.profiles.test(id, dto);
  }
}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { DIRECTORY_READERS } from './customers.controller';
import { DirectorySettingsService, FieldDefinitionsDto, RanksDto } from './directory-settings.service';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** Ranks and custom fields of the tenant's customers: everyone who reads customers reads these; admins set them. */
@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup')
export class DirectorySettingsController {
  constructor(private readonly settings: DirectorySettingsService) {}

  @Get('customer-ranks')
  @Roles(...DIRECTORY_READERS)
  ranks() {
    return this.settings.ranks();
  }

  @Put('customer-ranks')
  @Roles('tenantAdmin')
  replaceRanks(@Body() dto: RanksDto) {
    return this.settings.replaceRanks(dto);
  }

  @Get('customer-fields')
  @Roles(...DIRECTORY_READERS)
  fields() {
    return this.settings.fields();
  }

  @Put('customer-fields')
  @Roles('tenantAdmin')
  replaceFields(@Body() dto: FieldDefinitionsDto) {
    return this.settings.replaceFields(dto);
  }
}

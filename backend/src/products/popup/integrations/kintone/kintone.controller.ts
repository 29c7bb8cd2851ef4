import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../core/auth/auth.decorators';
import { RequiresProduct } from '../../../../core/tenancy/product-access';
import { LookupTestDto } from '../lookup-hook.dto';
import { PutKintoneDto } from './kintone.dto';
import { KintoneService } from './kintone.service';

/** The current tenant's kintone connector: tenant admins only (it holds API tokens). */
@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup/integrations/kintone')
export class KintoneController {
  constructor(private readonly kintone: KintoneService) {}

  @Get()
  @Roles('tenantAdmin')
  get() {
    return this.kintone.get();
  }

  @Put()
  @Roles('tenantAdmin')
  put(@Body() dto: PutKintoneDto) {
    return this.kintone.put(dto);
  }

  @Delete()
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove() {
    return this.kintone.remove();
  }

  /** Looks the number up in the customer app now (no cache): the mapped cards, or kintone's error. */
  @Post('test')
  @Roles('tenantAdmin')
  @HttpCode(200)
  test(@Body() dto: LookupTestDto) {
    return this.kintone.test(dto);
  }
}

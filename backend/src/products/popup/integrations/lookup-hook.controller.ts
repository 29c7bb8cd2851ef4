import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequiresProduct } from '../../../core/tenancy/product-access';
import { LookupTestDto, PutLookupHookDto } from './lookup-hook.dto';
import { LookupHookService } from './lookup-hook.service';

/** The current tenant's external lookup hook: tenant admins only (it holds CRM credentials). */
@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup/integrations/lookup-hook')
export class LookupHookController {
  constructor(private readonly hook: LookupHookService) {}

  @Get()
  @Roles('tenantAdmin')
  get() {
    return this.hook.get();
  }

  @Put()
  @Roles('tenantAdmin')
  put(@Body() dto: PutLookupHookDto) {
    return this.hook.put(dto);
  }

  @Delete()
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove() {
    return this.hook.remove();
  }

  /** Runs the saved hook for `number` now (no cache) and answers the mapped cards or the error. */
  @Post('test')
  @Roles('tenantAdmin')
  @HttpCode(200)
  test(@Body() dto: LookupTestDto) {
    return this.hook.test(dto);
  }
}

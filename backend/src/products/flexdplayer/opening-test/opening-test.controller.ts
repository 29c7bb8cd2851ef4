import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { FLEXD_READERS } from '../mapping/mapping-profiles.controller';
import { ConfirmOpeningTestDto, OpeningTestService } from './opening-test.service';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** The tenant's FlexDPlayer opening test (開通試験) checklist. */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/opening-test')
export class OpeningTestController {
  constructor(private readonly openingTest: OpeningTestService) {}

  @Get()
  @Roles(...FLEXD_READERS)
  get() {
    return this.openingTest.get();
  }

  @Post('confirm')
  @Roles('tenantAdmin')
  @HttpCode(200)
  confirm(@Body() dto: ConfirmOpeningTestDto) {
    return this.openingTest.confirm(dto);
  }
}

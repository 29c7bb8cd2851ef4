import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { RequestContext } from '../tenancy/request-context';
import { CreateSupportGrantDto, SupportGrantsService, SupportGrantView } from './support-grants.service';

/** A tenant's support grants: given and revoked by its administrators, readable by its auditors. */
@ApiTags('support')
@Controller('v1/support-grants')
export class SupportGrantsController {
  constructor(private readonly grants: SupportGrantsService) {}

  @Get()
  @Roles('tenantAdmin', 'auditor')
  list(): Promise<SupportGrantView[]> {
    return this.grants.list();
  }

  @Post()
  @Roles('tenantAdmin')
  create(@Body() dto: CreateSupportGrantDto): Promise<SupportGrantView> {
    return this.grants.create(dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('tenantAdmin')
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<SupportGrantView> {
    return this.grants.revoke(id);
  }
}

/** The vendor's side: which tenants a member of the support staff may enter now. */
@ApiTags('vendor')
@Controller('v1/vendor/support-grants')
@Roles('vendorSupport', 'vendorAdmin')
export class VendorSupportGrantsController {
  constructor(
    private readonly grants: SupportGrantsService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  mine() {
    const principal = this.context.principal();
    return principal ? this.grants.activeFor(principal) : [];
  }
}

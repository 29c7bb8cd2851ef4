import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';
import { AuditService } from '../audit/audit.service';
import { Roles } from '../auth/auth.decorators';
import { RequestContext } from '../tenancy/request-context';
import { TenantsService } from '../tenancy/tenants.service';

export class UpdateSettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) organizationName?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimeZone() timeZone?: string;
  @ApiPropertyOptional({ enum: ['ja', 'en'] }) @IsOptional() @IsIn(['ja', 'en']) defaultLocale?: 'ja' | 'en';
}

/** The current tenant's own settings. */
@ApiTags('settings')
@Controller('v1/settings')
@Roles('tenantAdmin')
export class SettingsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async get() {
    const t = await this.tenants.get(this.context.tenantId());
    return { organizationName: t.name, timeZone: t.timeZone, defaultLocale: t.defaultLocale, products: t.products };
  }

  @Patch()
  async update(@Body() dto: UpdateSettingsDto) {
    const id = this.context.tenantId();
    const before = await this.get();
    await this.tenants.update(id, {
      name: dto.organizationName,
      timeZone: dto.timeZone,
      defaultLocale: dto.defaultLocale,
    });
    const after = await this.get();
    await this.audit.record({ action: 'settings.changed', target: id, details: { before, after: dto } });
    return after;
  }
}

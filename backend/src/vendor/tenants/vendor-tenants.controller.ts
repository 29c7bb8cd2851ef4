import { Body, Controller, Get, NotFoundException, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsTimeZone,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Roles } from '../../core/auth/auth.decorators';
import { SETTING, SystemSettingsService } from '../../core/setup/system-settings.service';
import { RequestContext } from '../../core/tenancy/request-context';
import { PRODUCTS, Product } from '../../core/tenancy/tenant.entity';
import { TenantsService } from '../../core/tenancy/tenants.service';
import { SetupAdminDto } from '../../core/setup/setup.dto';
import { UsersService } from '../../core/users/users.service';

export class CreateTenantDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ enum: PRODUCTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PRODUCTS, { each: true })
  products!: Product[];
  @ApiPropertyOptional() @IsOptional() @IsTimeZone() timeZone?: string;
  @ApiProperty({ type: SetupAdminDto }) @ValidateNested() @Type(() => SetupAdminDto) admin!: SetupAdminDto;
}

/**
 * Customer tenants of the hosted instance (deployment mode multi). Contracts, plans and billing
 * arrive with the vendor console; this is the provisioning core they build on.
 */
@ApiTags('vendor')
@Controller('v1/tenants')
@Roles('vendorAdmin')
export class VendorTenantsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly settings: SystemSettingsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  private async assertMulti(): Promise<void> {
    if ((await this.settings.get<string>(SETTING.deploymentMode)) !== 'multi') {
      throw new NotFoundException('the vendor console exists only in multi-tenant mode');
    }
  }

  @Get()
  async list() {
    await this.assertMulti();
    return this.tenants.list();
  }

  /** Tenant and its first administrator in one transaction: no tenant without an admin. */
  @Post()
  async create(@Body() dto: CreateTenantDto) {
    await this.assertMulti();
    const vendor = this.context.principal();
    const result = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.tenants.create(
        { name: dto.name, products: dto.products, timeZone: dto.timeZone },
        manager,
      );
      const admin = await this.context.runAsTenant(
        tenant.id,
        () => this.users.create({ ...dto.admin, roles: ['tenantAdmin'] }, manager),
        vendor,
      );
      return { tenant, admin: admin.user };
    });
    await this.audit.record({ action: 'vendor.tenant.created', target: result.tenant.id, details: { name: dto.name } });
    return result;
  }
}

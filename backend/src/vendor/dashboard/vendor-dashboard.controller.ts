import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { assertVendorConsole, tokyoDateOf } from '../vendor-console';
import { VendorDashboardService } from './vendor-dashboard.service';

/**
 * The vendor console's overview and the support access in force across tenants. Read-only, for
 * vendor staff; tenant users get 403 from the role check, and on-premise the console does not exist.
 */
@ApiTags('vendor')
@Controller('v1/vendor')
@Roles('vendorAdmin', 'vendorSupport')
export class VendorDashboardController {
  constructor(
    private readonly dashboard: VendorDashboardService,
    private readonly settings: SystemSettingsService,
  ) {}

  @Get('dashboard')
  async overview() {
    await assertVendorConsole(this.settings);
    const now = new Date();
    return this.dashboard.overview(tokyoDateOf(now), now);
  }

  /** Every tenant's support grants in force now: who may enter which tenant, why and until when. */
  @Get('support-access')
  async supportAccess() {
    await assertVendorConsole(this.settings);
    return this.dashboard.activeSupportGrants(new Date());
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { JOB_QUEUE, JobQueue } from '../../platform/queue/job-queue';
import { MailService } from '../../platform/mail/mail.service';
import { probeStorage } from '../../platform/storage/storage-probe';
import { StorageSettings } from '../../platform/storage/storage-settings';
import { Public } from '../auth/auth.decorators';
import { SETTING, SystemSettingsService } from '../setup/system-settings.service';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly mail: MailService,
    private readonly settings: SystemSettingsService,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** Readiness: every dependency the appliance needs to record and serve answers. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      () =>
        this.check('queue', async () => {
          await this.queue.ping();
          return { kind: this.queue.kind };
        }),
      () =>
        this.check('storage', async () => {
          const storage = await this.settings.get<StorageSettings>(SETTING.storage);
          if (!storage) return { configured: false };
          const result = await probeStorage(storage);
          if (!result.ok) throw new Error(result.message);
          return { driver: storage.driver };
        }),
      () =>
        this.check('mail', async () => {
          if (!this.mail.configured) return { configured: false };
          await this.mail.verify();
          return { configured: true };
        }),
    ]);
  }

  private async check(key: string, probe: () => Promise<Record<string, unknown>>) {
    const status = this.indicator.check(key);
    try {
      return status.up(await probe());
    } catch (error) {
      return status.down({ message: (error as Error).message });
    }
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SETTING, SystemSettingsService } from '../../core/setup/system-settings.service';
import { addMonthsToMonth, monthOf } from '../billing/civil-date';
import { ContractsService } from '../contracts/contracts.service';
import { RenewalReminders } from '../contracts/renewal-reminders';
import { tokyoDateOf } from '../vendor-console';
import { InvoiceIssuerSettings } from './invoice-issuer';
import { InvoicingService } from './invoicing.service';

export const BILLING_TICK_MS = 3600 * 1000;

/**
 * The vendor's daily and monthly billing work, checked every hour in every process: the invoices of
 * the month just ended (from the 1st, until every contract has one) and the renewal reminders due
 * today. Both are idempotent in the database (one invoice per contract and month, one reminder per
 * renewal), so running in several processes or on every tick issues nothing twice, and a server that
 * was down on the 1st catches up on its next tick.
 */
@Injectable()
export class BillingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BillingScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly settings: SystemSettingsService,
    private readonly contracts: ContractsService,
    private readonly reminders: RenewalReminders,
    private readonly invoicing: InvoicingService,
    private readonly issuer: InvoiceIssuerSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), BILLING_TICK_MS);
    this.timer.unref();
    void this.tick(); // catch up at once after a restart, not an hour later
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round; never throws (a failure is logged and retried on the next tick). */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.round(now)
      .catch((error: Error) => this.logger.warn(`billing round failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(now: Date): Promise<void> {
    if ((await this.settings.get<string>(SETTING.deploymentMode)) !== 'multi') return;
    const today = tokyoDateOf(now);
    await this.reminders.sendDue(await this.contracts.allStarted(), today);
    if (!(await this.issuer.get())) {
      this.logger.warn('monthly invoices not issued: the invoice issuer is not set (vendor console)');
      return;
    }
    const run = await this.invoicing.issueMonth(addMonthsToMonth(monthOf(today), -1), today);
    if (run.issued.length) this.logger.log(`issued ${run.issued.length} invoices for ${run.month}`);
    for (const f of run.failed)
      this.logger.error(`invoice for ${run.month} of contract ${f.contractId} failed: ${f.error}`);
  }
}

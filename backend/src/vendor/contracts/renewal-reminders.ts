import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { User } from '../../core/users/user.entity';
import { MailService } from '../../platform/mail/mail.service';
import { annualFeeOf, AnnualPeriod } from '../billing/annual-charges';
import type { CivilDate } from '../billing/civil-date';
import { Contract, planOn } from '../billing/contract';
import { RenewalReminder } from './contract.entities';
import { engineContractOf, StoredContract } from './contract-engine';
import { nextRenewalOf } from './contract-view';

export interface ReminderSent {
  contractId: string;
  periodStart: CivilDate;
  mailed: string[];
  failed: Array<{ to: string; error: string }>;
}

/**
 * Art. 10.8: an annual renewal is confirmed with the customer one month before it starts. From the
 * engine's confirmation date until the period starts, the daily run mails the tenant's active
 * administrators once per renewal: inserting the (contract, period) row is the claim, so two
 * processes or a rerun on the same day send nothing twice.
 */
@Injectable()
export class RenewalReminders {
  private readonly logger = new Logger(RenewalReminders.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async sendDue(contracts: StoredContract[], today: CivilDate): Promise<ReminderSent[]> {
    const sent: ReminderSent[] = [];
    for (const stored of contracts) {
      if (stored.row.billingCycle !== 'annual') continue;
      const contract = engineContractOf(stored);
      const period = nextRenewalOf(contract, today);
      if (!period || today < period.confirmBy || today >= period.start) continue;
      if (!(await this.claim(stored.row.id, period.start))) continue;
      sent.push(await this.remind(stored, contract, period));
    }
    return sent;
  }

  private async claim(contractId: string, periodStart: CivilDate): Promise<boolean> {
    try {
      await this.dataSource
        .getRepository(RenewalReminder)
        .insert({ contractId, periodStart, sentAt: new Date(), mailed: '{}' });
      return true;
    } catch (error) {
      if (/duplicate|unique|constraint/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  private async remind(stored: StoredContract, contract: Contract, period: AnnualPeriod): Promise<ReminderSent> {
    const { row } = stored;
    const admins = (
      await this.dataSource.getRepository(User).find({ where: { tenantId: row.tenantId, disabled: false } })
    ).filter((u) => u.roles.includes('tenantAdmin') && !!u.email);
    const message = renewalMail(
      row.product,
      planOn(contract, period.start).code,
      period,
      annualFeeOf(contract, period),
    );
    const result: ReminderSent = { contractId: row.id, periodStart: period.start, mailed: [], failed: [] };
    for (const admin of admins) {
      try {
        if (!this.mail.configured) throw new Error('mail is not configured (setup wizard, mail step)');
        await this.mail.send({ to: admin.email, ...message });
        result.mailed.push(admin.email);
      } catch (error) {
        result.failed.push({ to: admin.email, error: (error as Error).message });
      }
    }
    if (result.failed.length) this.logger.warn(`renewal reminder of contract ${row.id}: not every admin was mailed`);
    await this.dataSource
      .getRepository(RenewalReminder)
      .update(
        { contractId: row.id, periodStart: period.start },
        { mailed: JSON.stringify({ mailed: result.mailed, failed: result.failed }) },
      );
    await this.audit.record({
      action: 'vendor.contract.renewalReminded',
      tenantId: row.tenantId,
      actorId: null,
      actorEmail: null,
      target: row.id,
      details: { ...result },
    });
    return result;
  }
}

const yen = (n: number) => n.toLocaleString('ja-JP');

function renewalMail(product: string, planCode: string, period: AnnualPeriod, annualFee: number) {
  return {
    subject: `[通話録音] 年間契約更新のご案内 / annual renewal on ${period.start}`,
    text: [
      `${product}（プラン ${planCode}）の年間契約は ${period.start} に更新されます。`,
      `更新後の契約期間: ${period.start} 〜 ${period.end}`,
      `年額利用料: ${yen(annualFee)} 円（税抜）。請求書は更新月の前月分としてお送りします。`,
      'プランの変更や解約をご希望の場合は、更新日の前にご連絡ください。',
      '',
      `Your annual ${product} contract (plan ${planCode}) renews on ${period.start}`,
      `for ${period.start} to ${period.end}, at ${annualFee.toLocaleString('en-US')} yen before tax.`,
      'Please contact us before that date to change the plan or cancel.',
    ].join('\n'),
  };
}

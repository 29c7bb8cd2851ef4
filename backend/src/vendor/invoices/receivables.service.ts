import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { CivilDate, daysBetween } from '../billing/civil-date';
import { delayDamages } from '../billing/money';
import { VendorInvoice, VendorPayment } from './invoice.entities';

export interface Receivable {
  invoiceId: string;
  number: string;
  tenantId: string;
  customerName: string;
  month: string;
  dueDate: CivilDate;
  total: number;
  paid: number;
  outstanding: number;
  overdue: boolean;
  daysLate: number;
  /** Delay damages (Art. 10.7) the invoice would carry if it were paid in full on `asOf`. */
  damagesIfPaidToday: number;
}

/**
 * What customers owe on a given day: every invoice issued by then and not paid in full by then, with
 * how late it is. Past days can be asked for: payments after `asOf` are not counted.
 */
@Injectable()
export class ReceivablesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async asOf(asOf: CivilDate, tenantId?: string) {
    const qb = this.dataSource
      .getRepository(VendorInvoice)
      .createQueryBuilder('i')
      .where('i.issueDate <= :asOf', { asOf })
      .andWhere(new Brackets((w) => w.where('i.paidOn IS NULL').orWhere('i.paidOn > :asOf', { asOf })))
      .andWhere('i.total > 0')
      .orderBy('i.dueDate', 'ASC')
      .addOrderBy('i.number', 'ASC');
    if (tenantId) qb.andWhere('i.tenantId = :tenantId', { tenantId });
    const invoices = await qb.getMany();
    const paidBy = await this.paidBy(
      invoices.map((i) => i.id),
      asOf,
    );
    const items: Receivable[] = invoices.map((i) => {
      const paid = paidBy.get(i.id) ?? 0;
      const daysLate = Math.max(0, daysBetween(i.dueDate, asOf));
      return {
        invoiceId: i.id,
        number: i.number,
        tenantId: i.tenantId,
        customerName: i.customerName,
        month: i.month,
        dueDate: i.dueDate,
        total: i.total,
        paid,
        outstanding: i.total - paid,
        overdue: daysLate > 0,
        daysLate,
        damagesIfPaidToday: delayDamages(i.total, daysLate),
      };
    });
    const overdue = items.filter((r) => r.overdue);
    return {
      asOf,
      receivables: items,
      totals: {
        count: items.length,
        outstanding: items.reduce((t, r) => t + r.outstanding, 0),
        overdueCount: overdue.length,
        overdueOutstanding: overdue.reduce((t, r) => t + r.outstanding, 0),
      },
    };
  }

  private async paidBy(invoiceIds: string[], asOf: CivilDate): Promise<Map<string, number>> {
    if (!invoiceIds.length) return new Map();
    const rows = await this.dataSource
      .getRepository(VendorPayment)
      .createQueryBuilder('p')
      .select('p.invoiceId', 'invoiceId')
      .addSelect('SUM(p.amount)', 'paid')
      .where('p.invoiceId IN (:...ids)', { ids: invoiceIds })
      .andWhere('p.paidOn <= :asOf', { asOf })
      .groupBy('p.invoiceId')
      .getRawMany<{ invoiceId: string; paid: string | number }>();
    return new Map(rows.map((r) => [r.invoiceId, Number(r.paid)]));
  }
}

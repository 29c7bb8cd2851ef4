import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { RequestContext } from '../../core/tenancy/request-context';
import { fieldError } from '../../platform/http/field-errors';
import type { CivilDate } from '../billing/civil-date';
import { tokyoDateOf } from '../vendor-console';
import { parseBankCsv } from './bank-csv';
import { VendorInvoice, VendorPayment } from './invoice.entities';

export interface PaymentInput {
  invoiceNumber: string;
  paidOn: CivilDate;
  amount: number;
  payerName: string;
}

export interface RecordedPayment {
  paymentId: string;
  invoiceNumber: string;
  outstanding: number;
  /** Set when this payment completed the invoice: the day it was paid in full. */
  paidInFullOn: CivilDate | null;
}

export type ImportRowResult =
  | ({ line: number; status: 'recorded' } & RecordedPayment)
  | { line: number; status: 'refused'; field: string; message: string };

/** A payment refused for a reason that belongs to one field of the input. */
class PaymentRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const yen = (n: number) => `${n.toLocaleString('en-US')} yen`;

/**
 * Payments received against invoices, entered by hand or imported from a bank statement. An invoice
 * is paid once its payments reach its total; the date that happens is what delay damages count to
 * (Art. 10.7), and the next invoice issued carries them.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  async record(input: PaymentInput, today = tokyoDateOf(new Date())): Promise<RecordedPayment> {
    try {
      const recorded = await this.dataSource.transaction((m) => this.recordIn(m, input, 'manual', today, false));
      await this.audited([recorded], 'manual');
      return recorded;
    } catch (error) {
      if (error instanceof PaymentRefused) throw fieldError(error.field, error.message);
      throw error;
    }
  }

  /**
   * Imports a bank CSV. Each good row is recorded in its own transaction and each bad one reported
   * with its line and field, so a statement with one typo does not hold back the rest. A row already
   * recorded (same invoice, date, amount and payer) is refused, so importing a file twice is safe.
   */
  async importCsv(text: string, today = tokyoDateOf(new Date())) {
    const { rows, problems } = parseBankCsv(text);
    if (problems.some((p) => p.field === 'header')) throw fieldError('csv', problems[0].message);
    const results: ImportRowResult[] = problems.map((p) => ({
      line: p.line,
      status: 'refused',
      field: p.field,
      message: p.message,
    }));
    for (const row of rows) {
      try {
        const recorded = await this.dataSource.transaction((m) => this.recordIn(m, row, 'bankCsv', today, true));
        results.push({ line: row.line, status: 'recorded', ...recorded });
      } catch (error) {
        if (!(error instanceof PaymentRefused)) throw error;
        // The CSV calls the payment date `date`.
        const field = error.field === 'paidOn' ? 'date' : error.field;
        results.push({ line: row.line, status: 'refused', field, message: error.message });
      }
    }
    results.sort((a, b) => a.line - b.line);
    const recorded = results.filter((r) => r.status === 'recorded');
    if (recorded.length) await this.audited(recorded as RecordedPayment[], 'bankCsv');
    return { recorded: recorded.length, refused: results.length - recorded.length, rows: results };
  }

  async listFor(invoiceId: string): Promise<VendorPayment[]> {
    return this.dataSource.getRepository(VendorPayment).find({ where: { invoiceId }, order: { paidOn: 'ASC' } });
  }

  private async recordIn(
    m: EntityManager,
    input: PaymentInput,
    source: 'manual' | 'bankCsv',
    today: CivilDate,
    refuseRepeats: boolean,
  ): Promise<RecordedPayment> {
    if (input.paidOn > today) throw new PaymentRefused('paidOn', `${input.paidOn} is in the future`);
    const invoices = m.getRepository(VendorInvoice);
    const invoice = await invoices.findOne({ where: { number: input.invoiceNumber } });
    if (!invoice) throw new PaymentRefused('invoiceNumber', `there is no invoice ${input.invoiceNumber}`);
    // Touch the invoice row first: it holds the row lock (MySQL) or the write lock (SQLite) until
    // commit, so two payments at once cannot both see the same amount outstanding.
    await invoices.update({ id: invoice.id }, { paidOn: invoice.paidOn });
    if (input.paidOn < invoice.issueDate) {
      throw new PaymentRefused('paidOn', `${input.paidOn} is before the invoice was issued (${invoice.issueDate})`);
    }
    const payments = await m.getRepository(VendorPayment).find({ where: { invoiceId: invoice.id } });
    if (
      refuseRepeats &&
      payments.some((p) => p.paidOn === input.paidOn && p.amount === input.amount && p.payerName === input.payerName)
    ) {
      throw new PaymentRefused('row', `this transfer is already recorded against ${invoice.number}`);
    }
    const outstanding = invoice.total - payments.reduce((total, p) => total + p.amount, 0);
    if (outstanding <= 0) throw new PaymentRefused('invoiceNumber', `${invoice.number} is already paid in full`);
    if (input.amount > outstanding) {
      throw new PaymentRefused(
        'amount',
        `${yen(input.amount)} is more than the ${yen(outstanding)} outstanding on ${invoice.number}`,
      );
    }
    const payment: VendorPayment = {
      id: randomUUID(),
      invoiceId: invoice.id,
      paidOn: input.paidOn,
      amount: input.amount,
      payerName: input.payerName,
      source,
      createdAt: new Date(),
      createdBy: this.context.principal()?.id ?? null,
    };
    await m.getRepository(VendorPayment).insert(payment);
    const left = outstanding - input.amount;
    let paidInFullOn: CivilDate | null = null;
    if (left === 0) {
      // Paid in full on the latest of its payments' dates, whatever order they were entered in.
      paidInFullOn = [input.paidOn, ...payments.map((p) => p.paidOn)].sort().pop() as CivilDate;
      await invoices.update({ id: invoice.id }, { paidOn: paidInFullOn });
    }
    return { paymentId: payment.id, invoiceNumber: invoice.number, outstanding: left, paidInFullOn };
  }

  private async audited(payments: RecordedPayment[], source: string): Promise<void> {
    await this.audit.record({
      action: 'vendor.payments.recorded',
      details: { source, payments: payments.map((p) => ({ invoice: p.invoiceNumber, paymentId: p.paymentId })) },
    });
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Tenant } from '../../core/tenancy/tenant.entity';
import { addMonthsToMonth, CivilDate, firstDayOf, lastDayOf, monthOf, YearMonth } from '../billing/civil-date';
import { Invoice, InvoiceLine, invoiceFor, isTaxable } from '../billing/invoice';
import { lateFeeFor } from '../billing/late-payments';
import { chargesForMonth } from '../billing/month-charges';
import { engineContractOf, StoredContract } from '../contracts/contract-engine';
import { ContractsService } from '../contracts/contracts.service';
import { fieldError } from '../../platform/http/field-errors';
import { InvoiceIssuer, InvoiceIssuerSettings } from './invoice-issuer';
import { InvoiceCounter, VendorInvoice } from './invoice.entities';
import { PrintedLine, printedLine } from './invoice-lines';

export interface InvoiceView {
  id: string;
  number: string;
  contractId: string;
  tenantId: string;
  customerName: string;
  month: YearMonth;
  issueDate: CivilDate;
  dueDate: CivilDate;
  lines: PrintedLine[];
  taxableAmount: number;
  nonTaxableAmount: number;
  subtotal: number;
  tax: number;
  total: number;
  issuer: InvoiceIssuer;
  paidOn: CivilDate | null;
}

export interface MonthRun {
  month: YearMonth;
  issued: Array<{ contractId: string; number: string; total: number }>;
  alreadyIssued: Array<{ contractId: string; number: string }>;
  /** Contracts with nothing to bill that month (not started yet, or ended). */
  nothingToBill: string[];
  /** Contracts whose invoice could not be made: one broken contract does not hold back the others. */
  failed: Array<{ contractId: string; error: string }>;
}

export const invoiceView = (row: VendorInvoice): InvoiceView => ({
  id: row.id,
  number: row.number,
  contractId: row.contractId,
  tenantId: row.tenantId,
  customerName: row.customerName,
  month: row.month,
  issueDate: row.issueDate,
  dueDate: row.dueDate,
  lines: (JSON.parse(row.lines) as InvoiceLine[]).map(printedLine),
  taxableAmount: row.taxableAmount,
  nonTaxableAmount: row.nonTaxableAmount,
  subtotal: row.subtotal,
  tax: row.tax,
  total: row.total,
  issuer: {
    name: row.issuerName,
    registrationNumber: row.issuerRegistrationNumber,
    ...(JSON.parse(row.issuerDetails) as Omit<InvoiceIssuer, 'name' | 'registrationNumber'>),
  },
  paidOn: row.paidOn,
});

/** A stored invoice as the engine's Invoice, for the delay-damages rule. */
const engineInvoiceOf = (row: VendorInvoice): Invoice => ({
  id: row.month,
  dueDate: row.dueDate,
  lines: JSON.parse(row.lines) as InvoiceLine[],
  subtotal: row.subtotal,
  tax: row.tax,
  total: row.total,
});

/**
 * Issues each month's invoices from the billing engine: the month's charges of every contract
 * (chargesForMonth) plus the delay damages of invoices paid late by the end of that month
 * (lateFeeFor), numbered INV-YYYY-NNNNNN without gaps. One invoice per contract and month: a rerun,
 * or two processes at once, issue nothing twice (unique contract+month; the loser's number is rolled back).
 */
@Injectable()
export class InvoicingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly issuerSettings: InvoiceIssuerSettings,
    private readonly audit: AuditService,
  ) {}

  private get rows() {
    return this.dataSource.getRepository(VendorInvoice);
  }

  /**
   * Issues the invoices of `month` dated `issueDate`. A month is invoiced once it is over: its
   * charges and the payments that decide its delay damages are known only at its end.
   */
  async issueMonth(month: YearMonth, issueDate: CivilDate): Promise<MonthRun> {
    if (issueDate < firstDayOf(addMonthsToMonth(month, 1))) {
      throw fieldError(
        'issueDate',
        `the invoices for ${month} can be issued from ${firstDayOf(addMonthsToMonth(month, 1))}, once the month is over`,
      );
    }
    const issuer = await this.issuerSettings.required();
    const run: MonthRun = { month, issued: [], alreadyIssued: [], nothingToBill: [], failed: [] };
    for (const stored of await this.contracts.allStarted()) {
      const existing = await this.rows.findOne({ where: { contractId: stored.row.id, month } });
      if (existing) {
        run.alreadyIssued.push({ contractId: stored.row.id, number: existing.number });
        continue;
      }
      const issued = await this.issueFor(stored, month, issueDate, issuer).catch((error: Error) => {
        run.failed.push({ contractId: stored.row.id, error: error.message });
        return undefined;
      });
      if (issued === undefined) continue;
      if (issued === 'exists') {
        const row = await this.rows.findOneOrFail({ where: { contractId: stored.row.id, month } });
        run.alreadyIssued.push({ contractId: stored.row.id, number: row.number });
      } else if (issued) run.issued.push({ contractId: stored.row.id, number: issued.number, total: issued.total });
      else run.nothingToBill.push(stored.row.id);
    }
    if (run.issued.length) {
      await this.audit.record({
        action: 'vendor.invoices.issued',
        tenantId: null,
        details: { month, issueDate, numbers: run.issued.map((i) => i.number) },
      });
    }
    return run;
  }

  async list(filter: { month?: string; tenantId?: string; contractId?: string }): Promise<InvoiceView[]> {
    const where: Record<string, string> = {};
    for (const [key, value] of Object.entries(filter)) if (value) where[key] = value;
    return (await this.rows.find({ where, order: { number: 'ASC' } })).map(invoiceView);
  }

  async get(id: string): Promise<VendorInvoice> {
    const row = await this.rows.findOne({ where: { id } });
    if (!row) throw new NotFoundException(`invoice ${id} not found`);
    return row;
  }

  private async issueFor(
    stored: StoredContract,
    month: YearMonth,
    issueDate: CivilDate,
    issuer: InvoiceIssuer,
  ): Promise<VendorInvoice | 'exists' | null> {
    const contract = engineContractOf(stored);
    if (month < monthOf(contract.billingStart)) return null;
    const late = await this.paidLateBy(stored.row.id, lastDayOf(month));
    const damages = late.flatMap((row) => {
      const fee = row.paidOn ? lateFeeFor(engineInvoiceOf(row), row.paidOn) : null;
      return fee ? [{ row, line: fee.line }] : [];
    });
    const lines = [...chargesForMonth(contract, month), ...damages.map((d) => d.line)];
    if (!lines.length) return null;
    const invoice = invoiceFor(month, lines);
    const customer = await this.dataSource.getRepository(Tenant).findOneOrFail({ where: { id: stored.row.tenantId } });
    const { name, registrationNumber, ...details } = issuer;
    try {
      return await this.dataSource.transaction(async (m) => {
        const row: VendorInvoice = {
          id: randomUUID(),
          number: await nextNumber(m, Number(issueDate.slice(0, 4))),
          contractId: stored.row.id,
          tenantId: stored.row.tenantId,
          customerName: customer.name,
          month,
          issueDate,
          dueDate: invoice.dueDate,
          lines: JSON.stringify(invoice.lines),
          taxableAmount: sum(lines.filter((l) => isTaxable(l.kind))),
          nonTaxableAmount: sum(lines.filter((l) => !isTaxable(l.kind))),
          subtotal: invoice.subtotal,
          tax: invoice.tax,
          total: invoice.total,
          issuerName: name,
          issuerRegistrationNumber: registrationNumber,
          issuerDetails: JSON.stringify(details),
          paidOn: null,
          damagesInvoiceId: null,
          createdAt: new Date(),
        };
        await m.getRepository(VendorInvoice).insert(row);
        if (late.length) {
          // Every late invoice is settled here, even one whose damages round down to 0 yen.
          await m.getRepository(VendorInvoice).update({ id: In(late.map((l) => l.id)) }, { damagesInvoiceId: row.id });
        }
        return row;
      });
    } catch (error) {
      if (/duplicate|unique/i.test((error as Error).message)) return 'exists';
      throw error;
    }
  }

  /** This contract's invoices paid in full after their due date, by `until`, whose damages are not invoiced yet. */
  private async paidLateBy(contractId: string, until: CivilDate): Promise<VendorInvoice[]> {
    const paid = await this.rows.find({
      where: { contractId, paidOn: LessThanOrEqual(until), damagesInvoiceId: IsNull() },
      order: { month: 'ASC' },
    });
    return paid.filter((row) => row.paidOn !== null && row.paidOn > row.dueDate);
  }
}

const sum = (lines: InvoiceLine[]) => lines.reduce((total, l) => total + l.amount, 0);

/**
 * The next number of the year, inside the invoice's transaction: the counter row is locked by the
 * UPDATE until commit (MySQL) or the whole database is (SQLite), so numbers are sequential and a
 * rolled-back invoice gives its number back.
 */
async function nextNumber(m: EntityManager, year: number): Promise<string> {
  const counters = m.getRepository(InvoiceCounter);
  const bumped = await counters
    .createQueryBuilder()
    .update(InvoiceCounter)
    .set({ lastNumber: () => 'lastNumber + 1' })
    .where('year = :year', { year })
    .execute();
  if (!bumped.affected) await counters.insert({ year, lastNumber: 1 });
  const { lastNumber } = await counters.findOneOrFail({ where: { year } });
  return `INV-${year}-${String(lastNumber).padStart(6, '0')}`;
}

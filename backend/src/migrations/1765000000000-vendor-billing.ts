import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

/** A calendar date (Asia/Tokyo) as the billing engine writes it: `YYYY-MM-DD`. */
const civilDate = (name: string, nullable = false): TableColumnOptions => str(name, 10, nullable);
/** Integer yen. Fees stay far below 2^31 (the API caps them), sums too for one invoice. */
const yen = (name: string): TableColumnOptions => integer(name);

/**
 * The vendor's books: plan catalogue, contracts and their plan changes, renewal reminders, invoices,
 * payments and the invoice-number counter. Every table starts with `vendor_` so contract end
 * (Art. 12.4) keeps them: they are the records the vendor must keep after a customer's data is gone.
 */
export class VendorBilling1765000000000 implements MigrationInterface {
  name = 'VendorBilling1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'vendor_plans',
        columns: [
          id(),
          str('code', 20),
          str('nameJa', 100),
          str('nameEn', 100),
          text('products'),
          integer('capacityGb'),
          yen('monthlyFee'),
          yen('initialFee'),
          flag('active'),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ux_vendor_plans_code', columnNames: ['code'], isUnique: true }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_contracts',
        columns: [
          id(),
          ref('tenantId'),
          str('product', 16),
          str('billingCycle', 8),
          text('equipment'),
          civilDate('appliedOn'),
          civilDate('openingTestOn', true),
          // The plan the contract started on, as priced then: catalogue edits never reprice a contract.
          ref('planId'),
          str('planCode', 20),
          yen('monthlyFee'),
          yen('initialFee'),
          integer('capacityGb'),
          civilDate('cancellationRequestedOn', true),
          civilDate('serviceEndOn', true),
          civilDate('equipmentReturnedOn', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [
          { name: 'ix_vendor_contracts_tenant', columnNames: ['tenantId'] },
          { name: 'ix_vendor_contracts_end', columnNames: ['serviceEndOn'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_contract_plan_changes',
        columns: [
          id(),
          ref('contractId'),
          civilDate('effectiveOn'),
          ref('planId'),
          str('planCode', 20),
          yen('monthlyFee'),
          yen('initialFee'),
          integer('capacityGb'),
          time('createdAt'),
          ref('createdBy', true),
        ],
        indices: [{ name: 'ux_vendor_plan_changes_day', columnNames: ['contractId', 'effectiveOn'], isUnique: true }],
        foreignKeys: [
          { columnNames: ['contractId'], referencedTableName: 'vendor_contracts', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_renewal_reminders',
        columns: [
          { ...ref('contractId'), isPrimary: true },
          { ...civilDate('periodStart'), isPrimary: true },
          time('sentAt'),
          text('mailed'),
        ],
        foreignKeys: [
          { columnNames: ['contractId'], referencedTableName: 'vendor_contracts', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_invoice_counters',
        columns: [{ ...integer('year'), isPrimary: true }, integer('lastNumber', 0)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_invoices',
        columns: [
          id(),
          str('number', 20),
          ref('contractId'),
          ref('tenantId'),
          str('customerName', 200),
          str('month', 7),
          civilDate('issueDate'),
          civilDate('dueDate'),
          text('lines'),
          yen('taxableAmount'),
          yen('nonTaxableAmount'),
          yen('subtotal'),
          yen('tax'),
          yen('total'),
          str('issuerName', 200),
          str('issuerRegistrationNumber', 14),
          text('issuerDetails'),
          // Set once the invoice is paid in full: when, and which later invoice carried any delay damages.
          civilDate('paidOn', true),
          ref('damagesInvoiceId', true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ux_vendor_invoices_number', columnNames: ['number'], isUnique: true },
          { name: 'ux_vendor_invoices_contract_month', columnNames: ['contractId', 'month'], isUnique: true },
          { name: 'ix_vendor_invoices_due', columnNames: ['paidOn', 'dueDate'] },
        ],
        foreignKeys: [
          { columnNames: ['contractId'], referencedTableName: 'vendor_contracts', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_payments',
        columns: [
          id(),
          ref('invoiceId'),
          civilDate('paidOn'),
          yen('amount'),
          str('payerName', 200),
          str('source', 8),
          time('createdAt'),
          ref('createdBy', true),
        ],
        indices: [{ name: 'ix_vendor_payments_invoice', columnNames: ['invoiceId', 'paidOn'] }],
        foreignKeys: [
          { columnNames: ['invoiceId'], referencedTableName: 'vendor_invoices', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'vendor_payments',
      'vendor_invoices',
      'vendor_invoice_counters',
      'vendor_renewal_reminders',
      'vendor_contract_plan_changes',
      'vendor_contracts',
      'vendor_plans',
    ]) {
      await q.dropTable(table);
    }
  }
}

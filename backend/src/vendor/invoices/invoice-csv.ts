import type { InvoiceView } from './invoicing.service';

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const INVOICE_CSV_HEADER = [
  'invoiceNumber',
  'issueDate',
  'dueDate',
  'month',
  'customer',
  'issuerRegistrationNumber',
  'lineNo',
  'kind',
  'description',
  'from',
  'to',
  'taxRate',
  'amount',
] as const;

/**
 * One invoice as CSV (docs/billing.md): one row per line, then the rows `subtotal`, `taxable10`,
 * `tax10`, `nonTaxable` and `total` (kind column) with an empty line number. UTF-8 with a BOM so
 * spreadsheet programs read the Japanese as such; CRLF line ends.
 */
export function invoiceCsv(invoice: InvoiceView): string {
  const head = [
    invoice.number,
    invoice.issueDate,
    invoice.dueDate,
    invoice.month,
    invoice.customerName,
    invoice.issuer.registrationNumber,
  ];
  const rows: Array<Array<string | number | null>> = invoice.lines.map((line, i) => [
    ...head,
    i + 1,
    line.kind,
    line.description,
    line.from,
    line.to,
    line.taxRate,
    line.amount,
  ]);
  const sums: Array<[string, string, number | null, number]> = [
    ['subtotal', '小計', null, invoice.subtotal],
    ['taxable10', '10%対象', 10, invoice.taxableAmount],
    ['tax10', '消費税（10%）', 10, invoice.tax],
    ['nonTaxable', '対象外', null, invoice.nonTaxableAmount],
    ['total', '合計', null, invoice.total],
  ];
  for (const [kind, description, rate, amount] of sums)
    rows.push([...head, null, kind, description, null, null, rate, amount]);
  return '\uFEFF' + [INVOICE_CSV_HEADER, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

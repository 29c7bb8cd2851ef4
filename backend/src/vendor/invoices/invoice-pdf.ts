import { ServiceUnavailableException } from '@nestjs/common';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { InvoiceView } from './invoicing.service';

/**
 * Japanese fonts the PDF can embed, first found wins: Noto Sans CJK JP from Debian's fonts-noto-cjk
 * (the collection file holds every CJK variant; the PostScript name picks the Japanese one). The font
 * is subset into the PDF, so the reader needs no font of its own.
 */
export const JAPANESE_FONTS = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKjp-Regular' },
];

function japaneseFont() {
  const font = JAPANESE_FONTS.find((f) => existsSync(f.path));
  if (!font) {
    throw new ServiceUnavailableException(
      `no Japanese font for invoice PDFs: install Debian's fonts-noto-cjk (looked for ${JAPANESE_FONTS.map((f) => f.path).join(', ')})`,
    );
  }
  return font;
}

const yen = (n: number) => `${n < 0 ? '-' : ''}¥${Math.abs(n).toLocaleString('ja-JP')}`;
const jaDate = (iso: string) => `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

const LEFT = 50;
const RIGHT = 545;
const COLUMNS = { description: LEFT, period: 255, rate: 400, amount: 445 };

/**
 * The invoice as a Japanese qualified invoice (適格請求書): issuer and registration number, the
 * customer, issue date, the lines with their period and tax rate, totals per rate with the tax of
 * each, the non-taxable delay damages apart, the total and the due date.
 */
export function renderInvoicePdf(invoice: InvoiceView): Promise<Buffer> {
  const font = japaneseFont();
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: { Title: `請求書 ${invoice.number}`, Author: invoice.issuer.name },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('ja', font.path, font.name);
  doc.font('ja');

  doc.fontSize(20).text('請求書（適格請求書）', LEFT, 50, { align: 'center', width: RIGHT - LEFT });
  doc.fontSize(10);
  const meta: Array<[string, string]> = [
    ['請求書番号', invoice.number],
    ['発行日', jaDate(invoice.issueDate)],
    ['ご利用月', `${invoice.month.slice(0, 4)}年${Number(invoice.month.slice(5, 7))}月分`],
    ['お支払期限', jaDate(invoice.dueDate)],
  ];
  meta.forEach(([label, value], i) => doc.text(`${label}：${value}`, 360, 95 + i * 15, { width: RIGHT - 360 }));

  doc.fontSize(14).text(`${invoice.customerName} 御中`, LEFT, 100, { width: 290 });
  doc.fontSize(10).text('下記のとおりご請求申し上げます。', LEFT, 125);

  const issuer = invoice.issuer;
  let y = 165;
  doc.fontSize(11).text(issuer.name, 360, y, { width: RIGHT - 360 });
  y = doc.y + 2;
  doc.fontSize(9).text(`登録番号：${issuer.registrationNumber}`, 360, y, { width: RIGHT - 360 });
  for (const detail of [issuer.address, issuer.phone ? `TEL ${issuer.phone}` : undefined]) {
    if (detail) doc.text(detail, 360, doc.y + 1, { width: RIGHT - 360 });
  }

  doc.fontSize(14).text(`ご請求金額（税込）  ${yen(invoice.total)}`, LEFT, 175, { width: 300 });
  doc.moveTo(LEFT, 195).lineTo(330, 195).stroke();

  y = Math.max(doc.y, 240) + 10;
  doc.fontSize(9);
  const header: Array<[keyof typeof COLUMNS, string]> = [
    ['description', '品目'],
    ['period', '期間'],
    ['rate', '税率'],
    ['amount', '金額（税抜）'],
  ];
  header.forEach(([column, label]) => cell(doc, column, label, y));
  doc
    .moveTo(LEFT, y + 14)
    .lineTo(RIGHT, y + 14)
    .stroke();
  y += 20;
  for (const line of invoice.lines) {
    cell(doc, 'description', line.description, y);
    cell(doc, 'period', line.from ? `${line.from} 〜 ${line.to}` : '', y);
    cell(doc, 'rate', line.taxRate ? `${line.taxRate}%` : '対象外', y);
    cell(doc, 'amount', yen(line.amount), y);
    y = Math.max(doc.y, y + 16);
  }
  doc.moveTo(LEFT, y).lineTo(RIGHT, y).stroke();
  y += 8;

  const totals: Array<[string, number]> = [
    ['小計', invoice.subtotal],
    ['10%対象（税抜）', invoice.taxableAmount],
    ['消費税（10%）', invoice.tax],
    ...(invoice.nonTaxableAmount
      ? ([['対象外（遅延損害金）', invoice.nonTaxableAmount]] as Array<[string, number]>)
      : []),
    ['合計（税込）', invoice.total],
  ];
  for (const [label, amount] of totals) {
    doc.text(label, 330, y, { width: 110 });
    doc.text(yen(amount), COLUMNS.amount, y, { width: RIGHT - COLUMNS.amount, align: 'right' });
    y += 16;
  }

  y += 20;
  doc.fontSize(9).text(`お支払期限：${jaDate(invoice.dueDate)}までにお振込みください。`, LEFT, y);
  if (issuer.bankAccount) doc.text(`お振込先：${issuer.bankAccount}`, LEFT, doc.y + 2);
  doc.text(
    'お支払いが遅れた場合、年14.5%の遅延損害金を申し受けます（遅延損害金は消費税の対象外です）。',
    LEFT,
    doc.y + 2,
  );
  doc.end();
  return done;
}

function cell(doc: PDFKit.PDFDocument, column: keyof typeof COLUMNS, text: string, y: number): void {
  const x = COLUMNS[column];
  const next = { description: COLUMNS.period, period: COLUMNS.rate, rate: COLUMNS.amount, amount: RIGHT }[column];
  doc.text(text, x, y, { width: next - x - 6, align: column === 'amount' ? 'right' : 'left' });
}

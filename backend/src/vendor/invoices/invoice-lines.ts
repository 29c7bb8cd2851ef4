import type { InvoiceLine, LineKind } from '../billing/invoice';
import { isTaxable } from '../billing/invoice';

/** How each engine line kind is printed, in Japanese (the invoice's language) and English. */
const LABELS: Record<LineKind, { ja: string; en: string }> = {
  initialFee: { ja: '初期費用', en: 'Initial fee' },
  usage: { ja: '月額利用料', en: 'Monthly usage' },
  annualFee: { ja: '年額利用料', en: 'Annual fee' },
  planChangeUpgrade: { ja: 'プラン変更差額（アップグレード）', en: 'Plan upgrade difference' },
  minimumTermAdjustment: { ja: '最低利用期間調整額', en: 'Minimum-term adjustment' },
  lateFee: { ja: '遅延損害金', en: 'Delay damages' },
  equipmentLateReturn: { ja: 'レンタル機器返却遅延料', en: 'Late equipment return' },
  refund: { ja: '返金', en: 'Refund' },
};

export interface PrintedLine {
  kind: LineKind;
  description: string;
  descriptionEn: string;
  from: string | null;
  to: string | null;
  /** 10 (percent) for taxable lines, null for delay damages (対象外). */
  taxRate: 10 | null;
  amount: number;
}

/** One engine line as printed: label, period or reference, tax rate. */
export function printedLine(line: InvoiceLine): PrintedLine {
  const label = LABELS[line.kind];
  const range = 'from' in line ? { from: line.from, to: line.to } : { from: null, to: null };
  const late =
    line.kind === 'lateFee'
      ? { ja: `（${line.invoice}分 ${line.daysLate}日遅延）`, en: ` (${line.invoice}, ${line.daysLate} days late)` }
      : { ja: '', en: '' };
  return {
    kind: line.kind,
    description: label.ja + late.ja,
    descriptionEn: label.en + late.en,
    ...range,
    taxRate: isTaxable(line.kind) ? 10 : null,
    amount: line.amount,
  };
}

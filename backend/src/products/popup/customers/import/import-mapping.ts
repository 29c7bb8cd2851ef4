import type { FieldProblem } from '../../../../platform/http/field-errors';
import type { DirectoryRules } from '../customer-input';

/** What a CSV column can hold; `custom:<key>` targets a custom field, `ignore` skips the column. */
export const BASE_TARGETS = [
  'name',
  'kana',
  'company',
  'department',
  'rank',
  'tags',
  'memo',
  'phone',
  'externalId',
] as const;
export type BaseTarget = (typeof BASE_TARGETS)[number];
export const IMPORT_KEYS = ['phone', 'externalId'] as const;
export type ImportKey = (typeof IMPORT_KEYS)[number];

/** Columns that may be mapped several times: their cells add up (several phone or tag columns). */
const MULTI: readonly string[] = ['phone', 'tags'];

export interface ImportMapping {
  /** Header text -> target. Headers left out are ignored. */
  columns: Record<string, string>;
  /** What finds the existing customer a row updates. */
  key: ImportKey;
}

/** Column index -> target, for the file's header row. */
export type ColumnTargets = Array<string | null>;

/** Checks a mapping against the file's header and the tenant's fields; problems name mapping.columns.<header>. */
export function resolveMapping(
  headers: string[],
  mapping: ImportMapping,
  rules: DirectoryRules,
): { targets: ColumnTargets; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const valid = (t: string) =>
    t === 'ignore' ||
    (BASE_TARGETS as readonly string[]).includes(t) ||
    (t.startsWith('custom:') && rules.fields.some((f) => `custom:${f.key}` === t));
  for (const [header, target] of Object.entries(mapping.columns)) {
    const field = `mapping.columns.${header}`;
    if (!headers.includes(header)) problems.push({ field, message: 'the file has no such column' });
    if (typeof target !== 'string' || !valid(target))
      problems.push({
        field,
        message: `unknown target "${String(target)}" (one of ${BASE_TARGETS.join(', ')}, custom:<field key>, ignore)`,
      });
  }
  const targets: ColumnTargets = headers.map((h) => {
    const t = Object.prototype.hasOwnProperty.call(mapping.columns, h) ? mapping.columns[h] : null;
    return typeof t === 'string' && t !== 'ignore' && valid(t) ? t : null;
  });
  const counts = new Map<string, number>();
  for (const t of targets) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [t, n] of counts)
    if (n > 1 && !MULTI.includes(t))
      problems.push({ field: 'mapping.columns', message: `${n} columns are mapped to ${t}; map one` });
  if (!counts.has('name')) problems.push({ field: 'mapping.columns', message: 'map a column to name' });
  if (!(IMPORT_KEYS as readonly string[]).includes(mapping.key))
    problems.push({ field: 'mapping.key', message: `one of ${IMPORT_KEYS.join(', ')}` });
  else if (!counts.has(mapping.key))
    problems.push({ field: 'mapping.key', message: `the key ${mapping.key} needs a column mapped to it` });
  return { targets, problems };
}

// Header spellings of Japanese customer lists, for a first suggestion.
const SUGGESTIONS: Array<[RegExp, BaseTarget]> = [
  [/^(氏名|名前|お名前|顧客名|name)$/i, 'name'],
  [/^(フリガナ|ふりがな|カナ|かな|氏名カナ|kana)$/i, 'kana'],
  [/^(会社名?|法人名|企業名|company)$/i, 'company'],
  [/^(部署名?|所属|department)$/i, 'department'],
  [/^(ランク|顧客ランク|rank)$/i, 'rank'],
  [/^(タグ|tags?)$/i, 'tags'],
  [/^(メモ|備考|memo)$/i, 'memo'],
  [/^(電話番号?\d*|電話\d*|携帯(電話)?(番号)?|tel\d*|phone\d*|fax)$/i, 'phone'],
  [/^(顧客id|顧客番号|外部id|id|external ?id)$/i, 'externalId'],
];

/** A mapping guessed from the header row (the user corrects it in the preview). */
export function suggestMapping(headers: string[], rules: DirectoryRules): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const h of headers) {
    const label = h.normalize('NFKC').trim();
    const base = SUGGESTIONS.find(([re]) => re.test(label))?.[1];
    const custom = rules.fields.find((f) => f.label === label || f.key === label);
    if (base) columns[h] = base;
    else if (custom) columns[h] = `custom:${custom.key}`;
  }
  return columns;
}

// Sidecar metadata files as carriers deliver them: CSV (header row + values, or key,value rows; UTF-8
// or Shift_JIS), JSON (an object, or an array whose first element is the call), or XML (elements or
// attributes). Each comes out as a reader: field spec -> text, or undefined when absent.

export type SidecarFormat = 'csv' | 'json' | 'xml';
export type SidecarReader = (spec: string) => string | undefined;

export class SidecarError extends Error {
  override readonly name = 'SidecarError';
}

/** The sidecar format from its file name, or null when the extension is none of ours. */
export function sidecarFormatOf(fileName: string): SidecarFormat | null {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'json' || ext === 'xml' ? ext : null;
}

/** Text of a sidecar: UTF-8 (BOM dropped) when valid, else Shift_JIS as Japanese systems still write. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

export function parseSidecar(format: SidecarFormat, bytes: Buffer | string, delimiter = ','): SidecarReader {
  const text = typeof bytes === 'string' ? bytes.replace(/^\uFEFF/, '') : decodeText(bytes);
  if (format === 'json') return jsonReader(text);
  if (format === 'xml') return xmlReader(text);
  return csvReader(text, delimiter);
}

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function jsonReader(text: string): SidecarReader {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SidecarError(`malformed JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(doc)) doc = doc[0];
  if (!doc || typeof doc !== 'object') throw new SidecarError('JSON sidecar must be an object');
  return (spec) => {
    let at: unknown = doc;
    for (const key of spec.split('.')) {
      if (!at || typeof at !== 'object') return undefined;
      at = (at as Record<string, unknown>)[key];
    }
    return scalar(at);
  };
}

/** RFC 4180 rows: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new SidecarError('CSV: a quoted field is not closed');
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows.map((r) => r.map((f) => f.trim()));
}

function csvReader(text: string, delimiter: string): SidecarReader {
  const rows = csvRows(text, delimiter);
  if (!rows.length) throw new SidecarError('CSV sidecar is empty');
  const pairs = rows.every((r) => r.length === 2) && rows.length !== 2;
  if (pairs) {
    // key,value per line
    const map = new Map(rows.map(([k, v]) => [k.toLowerCase(), v]));
    return (spec) => map.get(spec.toLowerCase());
  }
  if (rows.length < 2) throw new SidecarError('CSV sidecar needs a header row and a row of values');
  const header = rows[0].map((h) => h.toLowerCase());
  const values = rows[1];
  return (spec) => {
    const at = header.indexOf(spec.toLowerCase());
    if (at >= 0) return values[at];
    // A column number (1-based) for header-less exports.
    return /^#\d+$/.test(spec) ? rows[0][Number(spec.slice(1)) - 1] : undefined;
  };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) =>
      e[0] === '#'
        ? String.fromCodePoint(
            parseInt(e.slice(e[1] === 'x' || e[1] === 'X' ? 2 : 1), e[1].toLowerCase() === 'x' ? 16 : 10),
          )
        : (ENTITIES[e] ?? whole),
    );

/**
 * A deliberately small XML reader (no DTDs, no external entities): `a.b` or `a/b` finds the element
 * named by the last step (its text) or else an attribute of that name anywhere in the document.
 */
function xmlReader(text: string): SidecarReader {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new SidecarError('XML sidecar with a DOCTYPE is refused');
  if (!/<[A-Za-z_][\w.:-]*[\s>/]/.test(text)) throw new SidecarError('XML sidecar has no elements');
  return (spec) => {
    const name = spec.split(/[./]/).pop() ?? spec;
    const safe = name.replace(/[^\w.:-]/g, '');
    if (!safe) return undefined;
    const element = new RegExp(`<(?:[\\w.-]+:)?${safe}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${safe}\\s*>`).exec(
      text,
    );
    if (element) return unescapeXml(element[1]).trim();
    const attribute = new RegExp(`\\s${safe}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(text);
    return attribute ? unescapeXml(attribute[2] ?? attribute[3]) : undefined;
  };
}

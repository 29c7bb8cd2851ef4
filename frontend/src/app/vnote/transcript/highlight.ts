import { TextRange } from '../vnote.types';

/** A keyword kind paints its own colour (NG words red); `hit` is a search match. */
export type MarkKind = 'hit' | 'ng' | 'required' | 'competitor' | 'hotword';
export interface MarkRange extends TextRange {
  kind?: MarkKind;
}

/** A run of text, marked or not. Rendered as text nodes (interpolation), never as HTML. */
export interface TextPart {
  text: string;
  mark: MarkKind | null;
}

// When two marks overlap the stronger one colours the overlap: a spoken NG word must stay red.
const STRENGTH: Record<MarkKind, number> = { ng: 5, competitor: 4, required: 3, hotword: 2, hit: 1 };

/**
 * Splits `text` into plain and marked parts. Ranges are clamped to the text, empty or inverted
 * ones dropped, overlaps merged (the stronger kind wins per character), so bad offsets from the
 * server can never lose or repeat text: the parts always join back to `text`.
 */
export function highlightParts(text: string, ranges: readonly MarkRange[]): TextPart[] {
  const marks: (MarkKind | null)[] = new Array(text.length).fill(null);
  for (const r of ranges) {
    const start = Math.max(0, Math.floor(r.start));
    const end = Math.min(text.length, Math.floor(r.end));
    const kind = r.kind ?? 'hit';
    for (let i = start; i < end; i++) {
      const cur = marks[i];
      if (cur === null || STRENGTH[kind] > STRENGTH[cur]) marks[i] = kind;
    }
  }
  const parts: TextPart[] = [];
  let from = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[from]) {
      parts.push({ text: text.slice(from, i), mark: marks[from] });
      from = i;
    }
  }
  return parts;
}

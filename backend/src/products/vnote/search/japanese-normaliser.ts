/**
 * The one normalisation every part of FlexVNote search agrees on (index, query, keyword dictionaries):
 * NFKC (full/half width: ｶﾀｶﾅ -> カタカナ, ＡＢＣ１ -> abc1), lower case, katakana folded to hiragana, and
 * spaces, punctuation and symbols dropped, because speech engines place them arbitrarily. Each normalised
 * character remembers the span of the original text it came from, so a hit found on normalised text can be
 * highlighted in the text people read.
 */
export interface NormalisedText {
  /** The normalised text (what is indexed and matched). */
  norm: string;
  /** For each UTF-16 index of norm: the start of its source span in the original text. */
  from: number[];
  /** For each UTF-16 index of norm: the end (exclusive) of its source span in the original text. */
  to: number[];
}

// Sound marks that NFKC joins with the preceding kana (ｶﾞ -> ガ): kept with their base so they fold together.
const JOINING_MARK = /^[\u3099\u309A\uFF9E\uFF9F\u309B\u309C]$|^\p{M}$/u;
const DROPPED = /[\p{P}\p{S}\p{Z}\p{C}]/u;
const KATAKANA_FOLDABLE = /[\u30A1-\u30F6\u30FD\u30FE]/g;

/** Katakana -> hiragana for the letters that have a hiragana twin; ヷ-ヺ and ー stay as they are. */
const foldKana = (s: string) => s.replace(KATAKANA_FOLDABLE, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

export function normalise(text: string): NormalisedText {
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const chars = Array.from(text);
  let offset = 0;
  for (let i = 0; i < chars.length;) {
    // A base character and the sound marks after it form one cluster.
    let cluster = chars[i];
    let j = i + 1;
    while (j < chars.length && JOINING_MARK.test(chars[j])) cluster += chars[j++];
    const start = offset;
    const end = start + cluster.length;
    // Loose ゛/゜ and combining marks that still stand alone after NFKC carry no meaning for search.
    const folded = foldKana(cluster.normalize('NFKC').toLowerCase()).normalize('NFC');
    for (const c of folded) {
      if (DROPPED.test(c) || /^\p{M}$/u.test(c)) continue;
      out.push(c);
      for (let k = 0; k < c.length; k++) {
        from.push(start);
        to.push(end);
      }
    }
    offset = end;
    i = j;
  }
  return { norm: out.join(''), from, to };
}

/** Normalised text only (queries, dictionary entries). */
export const normaliseText = (text: string): string => normalise(text).norm;

/** Where a match at [start, end) of the normalised text lies in the original text. */
export function originalSpan(n: NormalisedText, start: number, end: number): { start: number; end: number } {
  return { start: n.from[start], end: n.to[end - 1] };
}

/** Every occurrence of needle (already normalised) in the normalised text, as original-text spans, merged. */
export function highlightSpans(n: NormalisedText, needles: string[]): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const needle of needles) {
    if (!needle) continue;
    for (let at = n.norm.indexOf(needle); at >= 0; at = n.norm.indexOf(needle, at + 1)) {
      spans.push(originalSpan(n, at, at + needle.length));
    }
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

import { highlightSpans, normalise, normaliseText } from './japanese-normaliser';

export const DICTIONARY_KINDS = ['ng', 'required', 'competitor', 'hotword'] as const;
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

export interface DictionaryForMatching {
  id: string;
  kind: DictionaryKind;
  entries: string[];
}
export interface SegmentForMatching {
  id: string;
  channel: number;
  speaker: string;
  startMs: number;
  text: string;
}
export interface KeywordHit {
  dictionaryId: string;
  kind: 'ng' | 'required' | 'competitor';
  entry: string;
  segmentId: string;
  startMs: number;
  channel: number;
  speaker: string;
  text: string;
  highlights: Array<{ start: number; end: number }>;
}
export interface KeywordFlags {
  ng: number;
  competitor: number;
  /** Required phrases (as written in the dictionary) said in no segment. */
  missingRequired: string[];
}

/**
 * Every dictionary entry found in the call's segments, matched on normalised text so that ｶｲﾔｸ, カイヤク
 * and かいやく are one entry; hotword dictionaries only steer engines and are not matched.
 */
export function matchKeywords(
  dictionaries: DictionaryForMatching[],
  segments: SegmentForMatching[],
): { hits: KeywordHit[]; flags: KeywordFlags } {
  const texts = segments.map((s) => ({ s, n: normalise(s.text) }));
  const hits: KeywordHit[] = [];
  const missing = new Set<string>();
  for (const d of dictionaries) {
    if (d.kind === 'hotword') continue;
    const kind = d.kind;
    for (const entry of d.entries) {
      const needle = normaliseText(entry);
      if (!needle) continue;
      let found = false;
      for (const { s, n } of texts) {
        if (!n.norm.includes(needle)) continue;
        found = true;
        hits.push({
          dictionaryId: d.id,
          kind,
          entry,
          segmentId: s.id,
          startMs: s.startMs,
          channel: s.channel,
          speaker: s.speaker,
          text: s.text,
          highlights: highlightSpans(n, [needle]),
        });
      }
      if (kind === 'required' && !found) missing.add(entry);
    }
  }
  hits.sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind) || a.entry.localeCompare(b.entry));
  return {
    hits,
    flags: {
      ng: hits.filter((h) => h.kind === 'ng').length,
      competitor: hits.filter((h) => h.kind === 'competitor').length,
      missingRequired: [...missing],
    },
  };
}

import { normaliseText } from './japanese-normaliser';

export type Speaker = 'customer' | 'operator';
export interface TimedSegment {
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
}
interface Span {
  startMs: number;
  endMs: number;
}

/** A silence is a gap longer than this in which nobody speaks. */
export const SILENCE_MS = 3000;

export interface SpeakerMetrics {
  talkMs: number;
  talkPercent: number;
  chars: number;
  charsPerMinute: number;
}

export interface ConversationMetrics {
  durationMs: number;
  speakers: Record<Speaker, SpeakerMetrics>;
  silenceCount: number;
  silenceTotalMs: number;
  silences: Span[];
  overlapCount: number;
  overlapTotalMs: number;
  speechRate: number;
  longestMonologue: { speaker: Speaker; startMs: number; endMs: number; durationMs: number } | null;
}

/** Sorted, overlapping or touching spans joined: talk time must not count a moment twice. */
function union(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ ...s });
  }
  return out;
}

const total = (spans: Span[]) => spans.reduce((n, s) => n + s.endMs - s.startMs, 0);
const perMinute = (chars: number, ms: number) => (ms > 0 ? Math.round((chars * 60_000) / ms) : 0);

/** Where both speakers talk at once: the intersection of the two speakers' talk spans. */
function intersect(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const startMs = Math.max(a[i].startMs, b[j].startMs);
    const endMs = Math.min(a[i].endMs, b[j].endMs);
    if (endMs > startMs) out.push({ startMs, endMs });
    if (a[i].endMs < b[j].endMs) i++;
    else j++;
  }
  return union(out);
}

/**
 * The longest run of one speaker's segments (in start order) with no segment of the other speaker
 * starting inside it and no silence (over 3 s) breaking it; its length is from the run's first start to
 * its latest end.
 */
function longestMonologue(segments: TimedSegment[]): ConversationMetrics['longestMonologue'] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  let best: ConversationMetrics['longestMonologue'] = null;
  let run: { speaker: Speaker; startMs: number; endMs: number } | null = null;
  const close = () => {
    if (run && (!best || run.endMs - run.startMs > best.durationMs)) {
      best = { ...run, durationMs: run.endMs - run.startMs };
    }
  };
  for (const s of sorted) {
    if (run && run.speaker === s.speaker && s.startMs - run.endMs <= SILENCE_MS) {
      run.endMs = Math.max(run.endMs, s.endMs);
    } else {
      close();
      run = { speaker: s.speaker, startMs: s.startMs, endMs: s.endMs };
    }
  }
  close();
  return best;
}

/** Metrics of one call from its segments; definitions in docs/vnote/search-api.md. */
export function conversationMetrics(segments: TimedSegment[]): ConversationMetrics {
  const bySpeaker = (sp: Speaker) => segments.filter((s) => s.speaker === sp);
  const talk = { operator: union(bySpeaker('operator')), customer: union(bySpeaker('customer')) };
  const chars = {
    operator: bySpeaker('operator').reduce((n, s) => n + Array.from(normaliseText(s.text)).length, 0),
    customer: bySpeaker('customer').reduce((n, s) => n + Array.from(normaliseText(s.text)).length, 0),
  };
  const talkMs = { operator: total(talk.operator), customer: total(talk.customer) };
  const bothMs = talkMs.operator + talkMs.customer;
  const operatorPercent = bothMs ? Math.round((talkMs.operator * 100) / bothMs) : 0;
  const speaker = (sp: Speaker, percent: number): SpeakerMetrics => ({
    talkMs: talkMs[sp],
    talkPercent: bothMs ? percent : 0,
    chars: chars[sp],
    charsPerMinute: perMinute(chars[sp], talkMs[sp]),
  });

  const anyone = union(segments);
  const silences: Span[] = [];
  for (let i = 1; i < anyone.length; i++) {
    const gap = { startMs: anyone[i - 1].endMs, endMs: anyone[i].startMs };
    if (gap.endMs - gap.startMs > SILENCE_MS) silences.push(gap);
  }
  const overlaps = intersect(talk.operator, talk.customer);
  const anyoneMs = total(anyone);
  return {
    durationMs: anyone.length ? anyone[anyone.length - 1].endMs - anyone[0].startMs : 0,
    speakers: { operator: speaker('operator', operatorPercent), customer: speaker('customer', 100 - operatorPercent) },
    silenceCount: silences.length,
    silenceTotalMs: total(silences),
    silences,
    overlapCount: overlaps.length,
    overlapTotalMs: total(overlaps),
    speechRate: perMinute(chars.operator + chars.customer, anyoneMs),
    longestMonologue: longestMonologue(segments),
  };
}

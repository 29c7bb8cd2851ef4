// The API keeps DTMF and quality as the capture client sent them (no fixed shape in the contract).
// FlexLog capture sends DTMF as { digit, at (ISO), durationMs, sender } and quality as
// { lossPercent, jitterMs, mos, rtcp }; other clients may differ, so these helpers read the common
// spellings and show anything else as it is.

export interface DtmfRow {
  digit: string;
  /** Seconds into the recording, when the event says. */
  at: number | null;
  sender: 'caller' | 'callee' | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Seconds into the recording of one event: `…Ms` fields, second fields, or a timestamp after `audioStart`. */
function offsetOf(o: Record<string, unknown>, audioStart: string): number | null {
  for (const key of ['atMs', 'offsetMs', 'timeMs', 'ms']) {
    const v = num(o[key]);
    if (v !== null) return v / 1000;
  }
  for (const key of ['at', 'offset', 'seconds', 'time']) {
    const v = num(o[key]);
    if (v !== null) return v;
    const s = o[key];
    if (typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(s)) {
      const diff = (Date.parse(s) - Date.parse(audioStart)) / 1000;
      if (Number.isFinite(diff)) return Math.max(0, diff);
    }
  }
  return null;
}

/**
 * `audioStart` is when the recording begins: the answer time when known (a recorder records the
 * conversation), else the call's start.
 */
export function dtmfRows(dtmf: unknown[] | null, audioStart: string): DtmfRow[] {
  if (!Array.isArray(dtmf)) return [];
  return dtmf.map((e) => {
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      const digit = ['digit', 'key', 'value', 'tone']
        .map((k) => o[k])
        .find((v) => typeof v === 'string' || typeof v === 'number');
      const sender = o['sender'] === 'caller' || o['sender'] === 'callee' ? o['sender'] : null;
      return { digit: digit === undefined ? JSON.stringify(o) : String(digit), at: offsetOf(o, audioStart), sender };
    }
    return { digit: String(e), at: null, sender: null };
  });
}

/** Quality figures people know by name; others are listed under the key the client sent. */
export const QUALITY_LABELS: Record<string, string> = {
  mos: 'mos',
  jitterMs: 'jitter',
  jitter: 'jitter',
  packetLossPercent: 'loss',
  lossPercent: 'loss',
  packetLoss: 'loss',
  latencyMs: 'latency',
  rttMs: 'latency',
  packetsLost: 'packetsLost',
  packets: 'packets',
  'rtcp.reports': 'rtcpReports',
  'rtcp.fractionLostPercent': 'rtcpLoss',
  'rtcp.jitterMs': 'rtcpJitter',
};

export interface QualityRow {
  key: string;
  /** Translation key under recordings.quality, when we know the figure. */
  label: string | null;
  value: string;
}

export function qualityRows(quality: Record<string, unknown> | null, locale: string): QualityRow[] {
  if (!quality || typeof quality !== 'object') return [];
  const fmt = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 2 });
  // One level of nesting (rtcp: { … }) is listed as "rtcp.jitterMs"; an absent group (null) is left out.
  const entries = Object.entries(quality).flatMap(([key, v]): [string, unknown][] =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.entries(v).map(([inner, w]): [string, unknown] => [`${key}.${inner}`, w])
      : v === null
        ? []
        : [[key, v]],
  );
  return entries.map(([key, v]) => ({
    key,
    label: QUALITY_LABELS[key] ?? null,
    value: typeof v === 'number' ? fmt.format(v) : typeof v === 'string' ? v : JSON.stringify(v),
  }));
}

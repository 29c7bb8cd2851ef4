// Estimated MOS from the ITU-T G.107 E-model, simplified the usual way for passive monitoring:
// R = 93.2 - Id(delay) - Ie,eff(codec, loss), with one-way delay estimated from jitter (we see
// neither end's playout buffer) and the codec impairments of G.113 Appendix I.

interface CodecImpairment {
  /** Equipment impairment factor with no loss. */
  ie: number;
  /** Packet-loss robustness factor. */
  bpl: number;
}

const IMPAIRMENTS: Readonly<Record<string, CodecImpairment>> = {
  PCMU: { ie: 0, bpl: 25.1 },
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 },
  G729: { ie: 11, bpl: 19 },
  OPUS: { ie: 0, bpl: 25 },
};
const DEFAULT_IMPAIRMENT: CodecImpairment = { ie: 10, bpl: 20 };

/** Mouth-to-ear delay we assume: packetisation + a jitter buffer twice the measured jitter. */
function estimatedDelayMs(jitterMs: number): number {
  return 40 + 2 * jitterMs;
}

export function rFactor(codec: string, lossPercent: number, jitterMs: number): number {
  const { ie, bpl } = IMPAIRMENTS[codec] ?? DEFAULT_IMPAIRMENT;
  const loss = Math.max(0, Math.min(100, lossPercent));
  const ieEff = ie + ((95 - ie) * loss) / (loss + bpl);
  const d = estimatedDelayMs(jitterMs);
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  return 93.2 - id - ieEff;
}

/** G.107 Annex B mapping from R to MOS (1 … 4.5). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function estimateMos(codec: string, lossPercent: number, jitterMs: number): number {
  return Math.round(mosFromR(rFactor(codec, lossPercent, jitterMs)) * 100) / 100;
}

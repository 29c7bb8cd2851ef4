import { Planar } from './wav';

/** Min/max per channel per bucket of intervalMs, as StorageOpusResult.peaks lays them out. */
export class PeaksAccumulator {
  private readonly bucketSamples: number;
  private readonly peaks: number[] = [];
  private min: Float64Array;
  private max: Float64Array;
  private filled = 0;

  constructor(
    sampleRate: number,
    private readonly channels: number,
    readonly intervalMs = 100,
  ) {
    this.bucketSamples = Math.max(1, Math.round((sampleRate * intervalMs) / 1000));
    this.min = new Float64Array(channels).fill(Infinity);
    this.max = new Float64Array(channels).fill(-Infinity);
  }

  push(planar: Planar): void {
    const frames = planar[0]?.length ?? 0;
    for (let i = 0; i < frames;) {
      const take = Math.min(frames - i, this.bucketSamples - this.filled);
      for (let c = 0; c < this.channels; c++) {
        const samples = planar[c];
        let lo = this.min[c];
        let hi = this.max[c];
        for (let k = i; k < i + take; k++) {
          const v = samples[k];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        this.min[c] = lo;
        this.max[c] = hi;
      }
      i += take;
      this.filled += take;
      if (this.filled === this.bucketSamples) this.close();
    }
  }

  /** The peaks, including a last partial bucket. */
  finish(): number[] {
    if (this.filled > 0) this.close();
    return this.peaks;
  }

  private close(): void {
    for (let c = 0; c < this.channels; c++) this.peaks.push(round2(this.min[c]), round2(this.max[c]));
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.filled = 0;
  }
}

function round2(v: number): number {
  const clipped = v > 1 ? 1 : v < -1 ? -1 : v;
  return Math.round(clipped * 100) / 100 || 0;
}

/**
 * Streaming band-limited resampler for one channel: windowed-sinc interpolation (Blackman window,
 * 16 zero crossings each side at the lower of the two rates), any ratio. The kernel is tabulated at
 * 1/512 of an input sample and interpolated linearly. No delay: output sample k is the input signal
 * at time k / outRate; flush() supplies the trailing zeros so the output has ceil(n·out/in) samples.
 */
export class Resampler {
  private readonly step: number;
  private readonly halfWidth: number;
  private readonly table: Float32Array;
  private readonly tableScale: number;
  /** Input samples not yet out of reach of the kernel, starting at absolute index `base`. */
  private buffer = new Float32Array(0);
  private base = 0;
  private inputCount = 0;
  private outputIndex = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
    zeroCrossings = 16,
  ) {
    this.step = inRate / outRate;
    const scale = Math.min(1, outRate / inRate);
    // Cut-off a little below the lower Nyquist so the transition band falls in the stop band's margin.
    const cutoff = 0.5 * scale * 0.94;
    this.halfWidth = Math.ceil(zeroCrossings / scale);
    const resolution = 512;
    this.tableScale = resolution;
    this.table = new Float32Array(this.halfWidth * resolution + 2);
    for (let i = 0; i < this.table.length; i++) {
      const d = i / resolution;
      const x = 2 * cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = d >= this.halfWidth ? 0 : blackman(0.5 + d / (2 * this.halfWidth));
      this.table[i] = 2 * cutoff * sinc * w;
    }
  }

  /** Resamples the next input; returns what can be computed so far. */
  push(input: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return input;
    this.append(input);
    return this.produce(false);
  }

  /** The remaining output, treating the signal as silent after its end. */
  flush(): Float32Array {
    if (this.inRate === this.outRate) return new Float32Array(0);
    return this.produce(true);
  }

  private append(input: Float32Array): void {
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    this.buffer = joined;
    this.inputCount += input.length;
  }

  private produce(final: boolean): Float32Array {
    const total = final ? Math.ceil((this.inputCount * this.outRate) / this.inRate) : Infinity;
    const available = this.base + this.buffer.length;
    const out: number[] = [];
    for (;;) {
      if (this.outputIndex >= total) break;
      const center = (this.outputIndex * this.inRate) / this.outRate;
      const first = Math.floor(center) - this.halfWidth + 1;
      const last = Math.floor(center) + this.halfWidth;
      if (!final && last >= available) break;
      // Hot loop: locals only (no property or global look-ups per tap).
      const { buffer, table, tableScale, base } = this;
      const end = last < available - 1 ? last : available - 1;
      let acc = 0;
      for (let j = first > base ? first : base; j <= end; j++) {
        const offset = j - center;
        const d = (offset < 0 ? -offset : offset) * tableScale;
        const i = d | 0;
        const t0 = table[i];
        acc += buffer[j - base] * (t0 + (table[i + 1] - t0) * (d - i));
      }
      out.push(acc);
      this.outputIndex++;
    }
    // Keep only what the next output still needs.
    const nextFirst = Math.floor((this.outputIndex * this.inRate) / this.outRate) - this.halfWidth + 1;
    const drop = Math.max(0, Math.min(this.buffer.length, nextFirst - this.base));
    if (drop > 0) {
      this.buffer = this.buffer.slice(drop);
      this.base += drop;
    }
    return Float32Array.from(out);
  }
}

function blackman(t: number): number {
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
}

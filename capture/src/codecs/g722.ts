// ITU-T G.722 decoder (64 kbit/s mode: 6-bit low band + 2-bit high band per byte), 16 kHz output.
// Written from the Recommendation's block diagram (INVQAL/INVQAH, LOGSCL/LOGSCH, SCALEL/SCALEH,
// the adaptive predictor of block 4 and the receive QMF), in integer arithmetic so the output
// matches other conforming decoders sample for sample.

// Inverse quantiser for the 6-bit low-band code (block 5L).
const QM6 = Int32Array.from([
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808,
  21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008,
  3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
]);
// Inverse quantiser of the 4-bit truncated low-band code that drives adaptation (block 2L).
const QM4 = Int32Array.from([
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
]);
const QM2 = Int32Array.from([-7408, -1616, 7408, 1616]);
// Log-scale factor adaptation (blocks 3L and 3H).
const RL42 = Int32Array.from([0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0]);
const WL = Int32Array.from([-60, -30, 58, 172, 334, 538, 1198, 3042]);
const RH2 = Int32Array.from([2, 1, 2, 1]);
const WH = Int32Array.from([0, -214, 798]);
// Inverse log table used to turn the log scale factor back into a linear one.
const ILB = Int32Array.from([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025,
  3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);
// Receive QMF coefficients (their sum is 4096 per phase).
const QMF = Int32Array.from([3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11]);

function sat16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

function clamp(value: number, low: number, high: number): number {
  return value > high ? high : value < low ? low : value;
}

/** One sub-band's ADPCM state: scale factor and the pole/zero predictor of block 4. */
class SubBand {
  predicted = 0; // s: signal estimate
  zeroPart = 0; // sz: output of the sixth-order zero section
  logScale = 0; // nb
  scale: number; // det
  readonly recon = new Int32Array(3); // r
  readonly poles = new Int32Array(3); // a
  readonly partial = new Int32Array(3); // p
  readonly diffs = new Int32Array(7); // d
  readonly zeros = new Int32Array(7); // b

  constructor(initialScale: number) {
    this.scale = initialScale;
  }

  /** Updates the scale factor from the log-scale step; `shiftBase` is 8 (low) or 10 (high). */
  adaptScale(step: number, ceiling: number, shiftBase: number): void {
    this.logScale = clamp(((this.logScale * 127) >> 7) + step, 0, ceiling);
    const mantissa = ILB[(this.logScale >> 6) & 31];
    const shift = shiftBase - (this.logScale >> 11);
    this.scale = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
  }

  /** Block 4: reconstruct, adapt the two poles and six zeros, and predict the next sample. */
  adaptPredictor(dx: number): void {
    const { recon, poles, partial, diffs, zeros } = this;
    diffs[0] = dx;
    recon[0] = sat16(this.predicted + dx);
    partial[0] = sat16(this.zeroPart + dx);

    // UPPOL2
    const sign0 = partial[0] >> 15;
    const sign1 = partial[1] >> 15;
    const sign2 = partial[2] >> 15;
    const a1x4 = sat16(poles[1] << 2);
    const wd2 = Math.min(sign0 === sign1 ? -a1x4 : a1x4, 32767);
    const pole2 = clamp((sign0 === sign2 ? 128 : -128) + (wd2 >> 7) + ((poles[2] * 32512) >> 15), -12288, 12288);
    // UPPOL1
    const limit = sat16(15360 - pole2);
    const pole1 = clamp(sat16((sign0 === sign1 ? 192 : -192) + ((poles[1] * 32640) >> 15)), -limit, limit);

    // UPZERO, then DELAYA for the zeros and the difference signal.
    const step = dx === 0 ? 0 : 128;
    const signDx = dx >> 15;
    for (let i = 6; i > 0; i--) {
      const adjust = diffs[i] >> 15 === signDx ? step : -step;
      zeros[i] = sat16(adjust + ((zeros[i] * 32640) >> 15));
      diffs[i] = diffs[i - 1];
    }
    recon[2] = recon[1];
    recon[1] = recon[0];
    partial[2] = partial[1];
    partial[1] = partial[0];
    poles[1] = pole1;
    poles[2] = pole2;

    // FILTEP, FILTEZ, PREDIC
    const polePart = sat16(
      ((poles[1] * sat16(recon[1] + recon[1])) >> 15) + ((poles[2] * sat16(recon[2] + recon[2])) >> 15),
    );
    let zeroPart = 0;
    for (let i = 6; i > 0; i--) zeroPart += (zeros[i] * sat16(diffs[i] + diffs[i])) >> 15;
    this.zeroPart = sat16(zeroPart);
    this.predicted = sat16(polePart + this.zeroPart);
  }
}

/** Stateful decoder for one G.722 stream; keep one per RTP stream so the predictor carries over. */
export class G722Decoder {
  private low = new SubBand(32);
  private high = new SubBand(8);
  private readonly history = new Int32Array(24);

  /** Two output samples (16 kHz) per input byte; returns the number of samples written. */
  decode(input: Uint8Array, output: Int16Array, offset: number): number {
    const { low, high, history } = this;
    const bytes = Math.min(input.length, (output.length - offset) >> 1);
    let out = offset;
    for (let j = 0; j < bytes; j++) {
      const code = input[j];
      const lowCode = code & 0x3f;
      const highCode = code >> 6;

      const rlow = clamp(low.predicted + ((low.scale * QM6[lowCode]) >> 15), -16384, 16383);
      const truncated = lowCode >> 2;
      const dlow = (low.scale * QM4[truncated]) >> 15;
      low.adaptScale(WL[RL42[truncated]], 18432, 8);
      low.adaptPredictor(dlow);

      const dhigh = (high.scale * QM2[highCode]) >> 15;
      const rhigh = clamp(dhigh + high.predicted, -16384, 16383);
      high.adaptScale(WH[RH2[highCode]], 22528, 10);
      high.adaptPredictor(dhigh);

      history.copyWithin(0, 2);
      history[22] = rlow + rhigh;
      history[23] = rlow - rhigh;
      let even = 0;
      let odd = 0;
      for (let i = 0; i < 12; i++) {
        even += history[2 * i] * QMF[i];
        odd += history[2 * i + 1] * QMF[11 - i];
      }
      output[out++] = sat16(odd >> 11);
      output[out++] = sat16(even >> 11);
    }
    return out - offset;
  }

  reset(): void {
    this.low = new SubBand(32);
    this.high = new SubBand(8);
    this.history.fill(0);
  }
}

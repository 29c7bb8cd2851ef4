// How much of a known signal a recording contains: the normalised cross-correlation of the
// reference against every same-length window of the recording, at the best lag.
//   ncc(lag) = Σ ref[i]·rec[lag+i] / sqrt(Σ ref[i]² · Σ rec[lag+i]²)
// 1 is the same waveform (up to gain), 0 unrelated. The numerators of all lags come from one
// FFT-based cross-correlation, the window energies from a running sum, so every lag is looked at
// exactly, even for recordings of many seconds.

export interface Correlation {
  value: number;
  /** Where the reference starts in the recording, in samples. */
  lag: number;
}

/** In-place iterative radix-2 FFT (inverse when `inverse`, unscaled). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const stepRe = Math.cos(angle);
    const stepIm = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let wRe = 1;
      let wIm = 0;
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tRe = re[b] * wRe - im[b] * wIm;
        const tIm = re[b] * wIm + im[b] * wRe;
        re[b] = re[a] - tRe;
        im[b] = im[a] - tIm;
        re[a] += tRe;
        im[a] += tIm;
        const next = wRe * stepRe - wIm * stepIm;
        wIm = wRe * stepIm + wIm * stepRe;
        wRe = next;
      }
    }
  }
}

/** Σ ref[i]·rec[lag+i] for every lag from 0 to rec.length - ref.length. */
function crossProducts(reference: Float32Array, recording: Float32Array): Float64Array {
  let n = 1;
  while (n < reference.length + recording.length) n <<= 1;
  const aRe = new Float64Array(n);
  const aIm = new Float64Array(n);
  const bRe = new Float64Array(n);
  const bIm = new Float64Array(n);
  aRe.set(recording);
  bRe.set(reference);
  fft(aRe, aIm, false);
  fft(bRe, bIm, false);
  // rec ⋆ ref = IFFT(FFT(rec) · conj(FFT(ref)))
  for (let i = 0; i < n; i++) {
    const re = aRe[i] * bRe[i] + aIm[i] * bIm[i];
    const im = aIm[i] * bRe[i] - aRe[i] * bIm[i];
    aRe[i] = re;
    aIm[i] = im;
  }
  fft(aRe, aIm, true);
  const lags = recording.length - reference.length + 1;
  const out = new Float64Array(lags);
  for (let lag = 0; lag < lags; lag++) out[lag] = aRe[lag] / n;
  return out;
}

/** The best normalised cross-correlation of `reference` within `recording` (which must be longer). */
export function bestCorrelation(reference: Float32Array, recording: Float32Array): Correlation {
  if (recording.length < reference.length) {
    throw new Error(`recording (${recording.length} samples) shorter than the reference (${reference.length})`);
  }
  const products = crossProducts(reference, recording);
  let referenceEnergy = 0;
  for (const x of reference) referenceEnergy += x * x;
  let windowEnergy = 0;
  for (let i = 0; i < reference.length; i++) windowEnergy += recording[i] * recording[i];
  let best: Correlation = { value: 0, lag: 0 };
  for (let lag = 0; lag < products.length; lag++) {
    if (lag > 0) {
      const leaving = recording[lag - 1];
      const entering = recording[lag + reference.length - 1];
      windowEnergy += entering * entering - leaving * leaving;
    }
    // A window of near silence says nothing (and would divide by almost zero).
    if (windowEnergy > referenceEnergy * 1e-3) {
      const value = products[lag] / Math.sqrt(referenceEnergy * windowEnergy);
      if (value > best.value) best = { value, lag };
    }
  }
  return best;
}

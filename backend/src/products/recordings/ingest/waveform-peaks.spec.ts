import { boundedPeaks, MAX_PEAK_BUCKETS } from './waveform-peaks';

describe('boundedPeaks', () => {
  const hour = (channels: number) => {
    const values: number[] = [];
    for (let b = 0; b < 36_000; b++) {
      for (let c = 0; c < channels; c++) values.push(-((b % 7) / 10) - c / 100, (b % 11) / 10 + c / 100);
    }
    return { intervalMs: 100, channels, values };
  };

  it('keeps a short call as it is (rounded to 3 decimals)', () => {
    const short = { intervalMs: 100, channels: 2, values: [-0.12345, 0.5, -0.25, 0.75] };
    expect(boundedPeaks(short)).toEqual({ intervalMs: 100, channels: 2, values: [-0.123, 0.5, -0.25, 0.75] });
  });

  it('merges a one-hour stereo call into wider buckets that fit a MySQL TEXT column', () => {
    const out = boundedPeaks(hour(2));
    expect(out.intervalMs).toBe(100 * Math.ceil(36_000 / MAX_PEAK_BUCKETS));
    expect(out.values.length / 4).toBeLessThanOrEqual(MAX_PEAK_BUCKETS);
    expect(out.values.length % 4).toBe(0);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(65_535);
    // each merged bucket keeps the extremes of what it covers: 23 source buckets see every residue
    expect(out.values.slice(0, 4)).toEqual([-0.6, 1, -0.61, 1.01]);
  });
});

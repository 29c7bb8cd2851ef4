import { toWavePeaks } from './peaks';

describe('toWavePeaks', () => {
  it('splits interleaved min/max per channel', () => {
    const answer = {
      durationMs: 250,
      peaks: { intervalMs: 100, channels: 2, values: [-0.1, 0.2, -0.3, 0.4, -0.5, 0.6, -0.7, 0.8, -0.9, 1] },
    };
    // Two whole buckets; the trailing half bucket (one channel only) is dropped.
    expect(toWavePeaks(answer)).toEqual({
      channels: [
        [-0.1, 0.2, -0.5, 0.6],
        [-0.3, 0.4, -0.7, 0.8],
      ],
      seconds: 0.25,
    });
  });

  it('draws a flat line for a recording stored without peaks', () => {
    expect(toWavePeaks({ durationMs: 3000, peaks: [] })).toEqual({ channels: [[0, 0]], seconds: 3 });
    expect(toWavePeaks({ durationMs: 3000, peaks: { intervalMs: 100, channels: 1, values: [] } }).channels).toEqual([
      [0, 0],
    ]);
  });
});

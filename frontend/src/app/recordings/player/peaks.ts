import { PeaksAnswer } from '../recordings.types';

export interface WavePeaks {
  /** One array per channel, min and max of each bucket in turn (what wavesurfer draws from). */
  channels: number[][];
  seconds: number;
}

/**
 * The peaks endpoint's interleaved min/max (per bucket: channel 0 min, max, channel 1 min, max …)
 * split into one array per channel. A recording stored without peaks gets a flat line, so the
 * waveform never falls back to downloading and decoding the whole file.
 */
export function toWavePeaks(answer: PeaksAnswer): WavePeaks {
  const seconds = Math.max(0, answer.durationMs / 1000);
  const p = answer.peaks;
  if (Array.isArray(p) || !p || !Array.isArray(p.values) || p.channels < 1 || p.values.length === 0) {
    return { channels: [[0, 0]], seconds };
  }
  const stride = p.channels * 2;
  const buckets = Math.floor(p.values.length / stride);
  const channels = Array.from({ length: p.channels }, () => new Array<number>(buckets * 2));
  for (let b = 0; b < buckets; b++) {
    for (let c = 0; c < p.channels; c++) {
      channels[c][b * 2] = p.values[b * stride + c * 2];
      channels[c][b * 2 + 1] = p.values[b * stride + c * 2 + 1];
    }
  }
  return { channels, seconds };
}

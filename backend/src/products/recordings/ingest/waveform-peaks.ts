/**
 * Waveform peaks as stored with a recording: per bucket and channel a [min, max] pair, laid out
 * bucket by bucket ([c0 min, c0 max, c1 min, c1 max, …]).
 */
export interface StoredPeaks {
  intervalMs: number;
  channels: number;
  values: number[];
}

/**
 * A player draws a waveform some thousand pixels wide, and MySQL's TEXT column holds 64 KiB: a
 * one-hour call at 10 buckets a second (144,000 numbers) fits neither. Longer calls get wider
 * buckets, each the min and max of the buckets it merges, so peaks are never lost, only coarser.
 */
export const MAX_PEAK_BUCKETS = 1600;

export function boundedPeaks(peaks: StoredPeaks, maxBuckets = MAX_PEAK_BUCKETS): StoredPeaks {
  const width = peaks.channels * 2;
  const buckets = Math.floor(peaks.values.length / width);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  if (buckets <= maxBuckets) return { ...peaks, values: peaks.values.map(round) };
  const factor = Math.ceil(buckets / maxBuckets);
  const values: number[] = [];
  for (let start = 0; start < buckets; start += factor) {
    const end = Math.min(buckets, start + factor);
    for (let c = 0; c < peaks.channels; c++) {
      let min = Infinity;
      let max = -Infinity;
      for (let b = start; b < end; b++) {
        min = Math.min(min, peaks.values[b * width + c * 2]);
        max = Math.max(max, peaks.values[b * width + c * 2 + 1]);
      }
      values.push(round(min), round(max));
    }
  }
  return { intervalMs: peaks.intervalMs * factor, channels: peaks.channels, values };
}

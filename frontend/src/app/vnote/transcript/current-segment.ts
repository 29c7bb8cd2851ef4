/** What the lookup needs of a segment; sorted by startMs. */
export interface Timed {
  startMs: number;
  endMs: number;
}

// Segments of the two speakers may overlap; a segment longer than this is not looked behind for.
const LOOK_BACK = 16;

/**
 * Index of the segment being spoken at `ms` (binary search on start, then a short look back for
 * a longer segment still running). When both speakers talk at once the later-starting one wins:
 * it is the one the listener just heard begin. -1 in silences, before the first and after the last.
 */
export function currentSegmentIndex(segments: readonly Timed[], ms: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let last = -1; // last segment starting at or before ms
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].startMs <= ms) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = last; i >= 0 && i > last - LOOK_BACK; i--) {
    if (segments[i].endMs > ms) return i;
  }
  return -1;
}

/** The segment a hit at `ms` belongs to, for seeking: the one containing it, else the next one. */
export function segmentAtOrAfter(segments: readonly Timed[], ms: number): number {
  const at = currentSegmentIndex(segments, ms);
  if (at >= 0) return at;
  return segments.findIndex((s) => s.startMs >= ms);
}

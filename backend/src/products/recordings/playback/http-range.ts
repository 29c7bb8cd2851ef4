/** A single byte range of an object of `size` bytes, end exclusive; null = the whole object. */
export type ParsedRange = { start: number; end: number } | null;

export class UnsatisfiableRangeError extends Error {}

/**
 * Parses an HTTP Range header (RFC 9110 §14) for one range: `bytes=a-b`, `bytes=a-`, `bytes=-n`.
 * Several ranges are answered with the whole object (allowed by the RFC); a range that starts
 * past the end is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): ParsedRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // malformed or multi-range: ignore, send all
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw new UnsatisfiableRangeError('empty suffix range');
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
  if (start >= size || end <= start) throw new UnsatisfiableRangeError(`range starts at ${start} of ${size}`);
  return { start, end };
}

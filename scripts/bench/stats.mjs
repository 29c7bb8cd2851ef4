// Percentiles and number formatting shared by the recording-store benchmarks.

/** Nearest-rank percentile (p in 0..100) of a list of numbers; null for an empty list. */
export function pct(xs, p) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const finite = (x) => (Number.isFinite(x) ? x : null); // JSON: null = timed out

/** n, timeouts (Infinity samples), p50/p95/p99/max; a timed-out percentile is null. */
export const stats = (xs) => ({
  n: xs.length,
  timeouts: xs.filter((x) => x === Infinity).length,
  p50: finite(pct(xs, 50)),
  p95: finite(pct(xs, 95)),
  p99: finite(pct(xs, 99)),
  max: finite(pct(xs, 100)),
});

/** Milliseconds for a table: one decimal below 100, none above; '-' when missing. */
export const fmt = (ms) => (ms === null || ms === undefined ? '-' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

export const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Deterministic random numbers (sfc32 seeded through splitmix32): the same seed, the same data. */
export function rng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(),
    b = mix(),
    c = mix(),
    d = mix();
  const next32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  const r = () => next32() / 4294967296;
  r.u32 = next32;
  r.int = (n) => Math.floor(r() * n);
  r.digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + r.int(10));
    return s;
  };
  r.hex = (n) => {
    let s = '';
    while (s.length < n) s += next32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  return r;
}

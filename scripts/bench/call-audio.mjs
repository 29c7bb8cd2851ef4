// Speech-like phone calls for the benchmarks: 8 kHz stereo G.711 µ-law WAV, caller on the left and
// callee on the right, as a PBX or capture box records them. Not tones: Opus spends its bits very
// differently on a steady tone than on speech, so size and encoder speed need something speech-like.
//
// Each side is a small formant synthesiser: a glottal pulse train (its own pitch, drifting within a
// phrase) through three resonators set to a Japanese vowel per syllable, fricative noise bursts
// between syllables, syllable envelopes at 4-6 Hz, and turn-taking with pauses and short backchannel
// (はい) from the listener; under it all, line noise at about -60 dB. Deterministic per seed.
import { createHash } from 'node:crypto';
import { rng } from './stats.mjs';

const RATE = 8000;
// F1, F2, F3 (Hz) of a, i, u, e, o (adult averages; the voices below scale them).
const VOWELS = [
  [800, 1200, 2500],
  [300, 2300, 3000],
  [350, 1300, 2400],
  [500, 1900, 2600],
  [500, 900, 2400],
];

/** A two-pole resonator (Klatt): gain-normalised at DC, bandwidth bw. */
function resonator(freq, bw) {
  const r = Math.exp((-Math.PI * bw) / RATE);
  const b1 = 2 * r * Math.cos((2 * Math.PI * freq) / RATE);
  const b2 = -r * r;
  return { a: 1 - b1 - b2, b1, b2, y1: 0, y2: 0 };
}
const step = (f, x) => {
  const y = f.a * x + f.b1 * f.y1 + f.b2 * f.y2;
  f.y2 = f.y1;
  f.y1 = y;
  return y;
};

/** Writes one utterance of `seconds` into out at `at` (samples): syllables of voiced sound and noise. */
function utter(out, at, seconds, voice, r) {
  const end = Math.min(out.length, at + Math.round(seconds * RATE));
  let i = at;
  let phase = 0;
  const declination = voice.f0 * (1.15 + 0.1 * r());
  while (i < end) {
    const syllable = Math.round(RATE * (0.15 + 0.1 * r()));
    const consonant = r() < 0.6 ? Math.round(RATE * (0.02 + 0.05 * r())) : 0;
    const [f1, f2, f3] = VOWELS[r.int(VOWELS.length)].map((f) => f * voice.formantScale);
    const chain = [resonator(f1, 90), resonator(f2, 120), resonator(f3, 200)];
    const hiss = resonator(2800 + 600 * r(), 900);
    const loud = voice.level * (0.6 + 0.4 * r());
    let prev = 0;
    for (let k = 0; k < syllable && i < end; k++, i++) {
      const env = Math.sin((Math.PI * k) / syllable);
      let x;
      if (k < consonant) {
        x = 0.35 * step(hiss, r() * 2 - 1) * env;
      } else {
        // Pitch falls across the utterance and wobbles a little (jitter), like a speaking voice.
        const f0 = (declination - (voice.f0 * 0.3 * (i - at)) / (end - at)) * (1 + 0.01 * (r() - 0.5));
        phase += f0 / RATE;
        const pulse = phase >= 1 ? 1 : 0;
        if (phase >= 1) phase -= 1;
        let y = pulse;
        for (const f of chain) y = step(f, y);
        x = (y - prev) * 0.9 * env; // lip radiation: a first difference tilts the spectrum up
        prev = y;
      }
      out[i] += loud * x;
    }
    if (r() < 0.15) i += Math.round(RATE * (0.05 + 0.15 * r())); // a short pause inside a phrase
  }
  return end;
}

const VOICES = [
  { f0: 115, formantScale: 1.0, level: 0.3 }, // caller: lower voice
  { f0: 215, formantScale: 1.15, level: 0.25 }, // callee: higher voice
];

/** Two channels (Float32Array each, -1..1) of a conversation `seconds` long. */
export function conversation(seconds, seed) {
  const r = rng(seed);
  const n = Math.round(seconds * RATE);
  const sides = [new Float32Array(n), new Float32Array(n)];
  let t = Math.round(RATE * (0.3 + 0.5 * r()));
  let speaker = r() < 0.5 ? 0 : 1;
  while (t < n) {
    const turn = 1.2 + 5 * r();
    const end = utter(sides[speaker], t, turn, VOICES[speaker], r);
    // The listener says はい now and then while the other side talks.
    if (r() < 0.5) utter(sides[1 - speaker], t + Math.round(RATE * turn * r()), 0.3, VOICES[1 - speaker], r);
    t = end + Math.round(RATE * (0.2 + 0.8 * r()));
    if (r() < 0.75) speaker = 1 - speaker;
  }
  for (const side of sides) for (let i = 0; i < n; i++) side[i] += 0.001 * (r() * 2 - 1);
  return sides;
}

/** G.711 µ-law of a 16-bit sample (ITU-T G.711, with the usual 0x84 bias and 8 segments). */
function ulaw(sample) {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  const segment = 31 - Math.clz32(magnitude) - 7; // position of the top bit above bit 7
  const mantissa = (magnitude >> (segment + 3)) & 0x0f;
  return ~(sign | (segment << 4) | mantissa) & 0xff;
}

/** A µ-law stereo WAV file of the channels (format tag 7, 8 bits, 8 kHz). */
export function ulawWav([left, right]) {
  const frames = left.length;
  const out = Buffer.alloc(44 + 2 * frames);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + 2 * frames, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(RATE, 24);
  out.writeUInt32LE(RATE * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(8, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(2 * frames, 40);
  const s16 = (v) => Math.round(Math.max(-1, Math.min(1, v)) * 32767);
  for (let i = 0; i < frames; i++) {
    out[44 + 2 * i] = ulaw(s16(left[i]));
    out[45 + 2 * i] = ulaw(s16(right[i]));
  }
  return out;
}

/** A call of `minutes` minutes as WAV, each minute a different conversation (seeded from `seed`). */
export function callWav(minutes, seed) {
  const parts = [];
  for (let m = 0; m < minutes; m++) parts.push(conversation(60, seed * 1000 + m));
  const join = (side) => {
    const all = new Float32Array(minutes * 60 * RATE);
    parts.forEach((p, m) => all.set(p[side], m * 60 * RATE));
    return all;
  };
  return ulawWav(minutes === 1 ? parts[0] : [join(0), join(1)]);
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

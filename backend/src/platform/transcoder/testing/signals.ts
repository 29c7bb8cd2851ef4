import { Readable } from 'node:stream';

// Test inputs made on the spot: tones, WAV files of every accepted kind, and endless calls.

export function tone(freq: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** A speech-like test signal: a tone gliding between lo and hi Hz, amplitude-modulated like syllables. */
export function glide(lo: number, hi: number, rate: number, seconds: number, start = 0, syllableHz = 4): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = (start + i) / rate;
    phase += (2 * Math.PI * (lo + ((hi - lo) * (1 + Math.sin(2 * Math.PI * 0.7 * t))) / 2)) / rate;
    out[i] = 0.4 * Math.sin(phase) * (0.55 + 0.45 * Math.sin(2 * Math.PI * syllableHz * t));
  }
  return out;
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'float32' | 'mulaw' | 'alaw';

const FORMAT: Record<WavEncoding, [tag: number, bits: number]> = {
  pcm8: [1, 8],
  pcm16: [1, 16],
  pcm24: [1, 24],
  float32: [3, 32],
  mulaw: [7, 8],
  alaw: [6, 8],
};

/** A WAV header; pass dataBytes 0xFFFFFFFF for an "unknown length" stream. `extra` chunks go before data. */
export function wavHeaderOf(
  encoding: WavEncoding | number,
  rate: number,
  channels: number,
  dataBytes: number,
  extra = Buffer.alloc(0),
): Buffer {
  const [tag, bits] = typeof encoding === 'number' ? [encoding, 4] : FORMAT[encoding];
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + extra.length + dataBytes), 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(tag, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE((rate * channels * bits) / 8, 28);
  h.writeUInt16LE((channels * bits) / 8, 32);
  h.writeUInt16LE(bits, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([h.subarray(0, 36), extra, h.subarray(36)]);
}

export function encodeSamples(
  encoding: WavEncoding,
  channels: Float32Array[],
  from = 0,
  to = channels[0].length,
): Buffer {
  const [, bits] = FORMAT[encoding];
  const step = bits / 8;
  const out = Buffer.alloc((to - from) * channels.length * step);
  let pos = 0;
  for (let i = from; i < to; i++) {
    for (const ch of channels) {
      const v = Math.max(-1, Math.min(1, ch[i]));
      const s16 = Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
      if (encoding === 'pcm8') out[pos] = Math.max(0, Math.min(255, Math.round(v * 128) + 128));
      else if (encoding === 'pcm16') out.writeInt16LE(s16, pos);
      else if (encoding === 'pcm24')
        out.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608))), pos, 3);
      else if (encoding === 'float32') out.writeFloatLE(v, pos);
      else if (encoding === 'mulaw') out[pos] = linearToUlaw(s16);
      else out[pos] = linearToAlaw(s16);
      pos += step;
    }
  }
  return out;
}

export function wavFile(encoding: WavEncoding, rate: number, channels: Float32Array[]): Buffer {
  const data = encodeSamples(encoding, channels);
  return Buffer.concat([wavHeaderOf(encoding, rate, channels.length, data.length), data]);
}

/** Delivers bytes the way a socket does: in pieces of `size`. */
export function pieces(data: Buffer, size = 4096): Readable {
  let offset = 0;
  return new Readable({
    read() {
      this.push(offset < data.length ? data.subarray(offset, (offset += size)) : null);
    },
  });
}

/**
 * A long two-party call as an 8 kHz stereo WAV stream made on demand (never held whole): a
 * different glide on each side, from a 7-second loop encoded once, so making it costs nothing.
 */
export function endlessCall(seconds: number, encoding: WavEncoding = 'mulaw'): Readable {
  const rate = 8000;
  const loop = encodeSamples(encoding, [glide(300, 900, rate, 7, 0, 4), glide(1200, 2400, rate, 7, 0, 2.5)]);
  const frameBytes = loop.length / (7 * rate);
  const total = seconds * rate * frameBytes;
  let sent = -1;
  return new Readable({
    read() {
      if (sent < 0) {
        sent = 0;
        return void this.push(wavHeaderOf(encoding, rate, 2, total));
      }
      if (sent >= total) return void this.push(null);
      const from = sent % loop.length;
      const piece = loop.subarray(from, Math.min(loop.length, from + 16384, from + total - sent));
      sent += piece.length;
      this.push(Buffer.from(piece));
    },
  });
}

// G.711 encoders (the transcoder only decodes; tests need to make the input).
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function linearToAlaw(sample: number): number {
  let s = sample;
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  s = Math.min(s, 32767);
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = exponent === 0 ? (s >> 4) & 0x0f : (s >> (exponent + 3)) & 0x0f;
  return (sign | (exponent << 4) | mantissa) ^ 0x55;
}

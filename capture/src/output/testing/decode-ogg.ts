import { createReadStream } from 'node:fs';
import { ByteReader, openOggOpus, type OpusHead, parseOpusHead, readOggPackets } from '@appliance/audio-format';

// Reads back what the capture wrote, with the decoder the backend plays recordings with.

export interface DecodedRecording {
  head: OpusHead;
  sampleRate: number;
  /** One Float32Array per channel (-1..1): caller, callee. */
  channels: Float32Array[];
}

export async function decodeOggFile(path: string): Promise<DecodedRecording> {
  const headReader = new ByteReader(createReadStream(path));
  const first = await readOggPackets(headReader).next();
  await headReader.close();
  if (first.done) throw new Error(`${path}: no Ogg packet`);
  const head = parseOpusHead(first.value.data);
  const reader = new ByteReader(createReadStream(path));
  const pcm = await openOggOpus(reader, () => 8000);
  const parts: Float32Array[][] = Array.from({ length: pcm.channels }, () => []);
  for await (const chunk of pcm.chunks) chunk.forEach((samples, c) => parts[c].push(samples));
  const channels = parts.map((list) => {
    const out = new Float32Array(list.reduce((sum, p) => sum + p.length, 0));
    let offset = 0;
    for (const p of list) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });
  return { head, sampleRate: pcm.sampleRate, channels };
}

/** Power of `frequency` in x (Goertzel), normalised by the signal's length. */
export function tonePower(x: Float32Array, rate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s = x[i] + coefficient * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (x.length * x.length);
}

/** Fraction of 20 ms frames whose RMS is above `threshold` (speech or tone present). */
export function activeFraction(x: Float32Array, rate: number, threshold = 0.01): number {
  const size = Math.round(rate / 50);
  let active = 0;
  let frames = 0;
  for (let start = 0; start + size <= x.length; start += size, frames++) {
    let sum = 0;
    for (let i = start; i < start + size; i++) sum += x[i] * x[i];
    if (Math.sqrt(sum / size) > threshold) active++;
  }
  return frames === 0 ? 0 : active / frames;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPayloadDecoder, decodedSampleRate } from './codec-registry';
import { A_LAW_TO_LINEAR, MU_LAW_TO_LINEAR } from './g711';
import { G722Decoder } from './g722';

const testdata = (name: string) => readFileSync(join(__dirname, 'testdata', name));
function decoderFor(codec: string) {
  const decoder = createPayloadDecoder(codec);
  if (!decoder) throw new Error(`no decoder for ${codec}`);
  return decoder;
}
const pcm = (buf: Buffer) => new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));

function correlation(a: Int16Array, b: Int16Array, lag: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i + lag < a.length && i < b.length; i++) {
    ab += a[i + lag] * b[i];
    aa += a[i + lag] ** 2;
    bb += b[i] ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('G.711', () => {
  it('expands every µ-law and A-law byte exactly as FFmpeg does', () => {
    expect(Array.from(MU_LAW_TO_LINEAR)).toEqual(Array.from(pcm(testdata('all-bytes.ulaw.ffmpeg-decoded.s16le'))));
    expect(Array.from(A_LAW_TO_LINEAR)).toEqual(Array.from(pcm(testdata('all-bytes.alaw.ffmpeg-decoded.s16le'))));
  });

  it('matches the G.711 table values at the ends of the range', () => {
    expect(MU_LAW_TO_LINEAR[0xff]).toBe(0);
    expect(MU_LAW_TO_LINEAR[0x00]).toBe(-32124);
    expect(MU_LAW_TO_LINEAR[0x80]).toBe(32124);
    expect(A_LAW_TO_LINEAR[0xd5]).toBe(8);
    expect(A_LAW_TO_LINEAR[0x55]).toBe(-8);
    expect(A_LAW_TO_LINEAR[0xaa]).toBe(32256);
  });

  it('decodes a payload through the registry at 8 kHz', () => {
    const decoder = decoderFor('PCMA');
    const out = new Int16Array(4);
    expect(decoder.decode(Buffer.from([0xd5, 0x55, 0xaa, 0x2a]), out, 0)).toBe(4);
    expect(Array.from(out)).toEqual([8, -8, 32256, -32256]);
    expect(decoder.sampleRate).toBe(8000);
  });
});

describe('G.722', () => {
  const encoded = testdata('chirp.g722');
  const reference = pcm(testdata('chirp.ffmpeg-decoded.s16le'));
  const source = pcm(testdata('chirp.source.s16le'));

  it('decodes sample for sample like FFmpeg (ITU-T arithmetic)', () => {
    const out = new Int16Array(encoded.length * 2);
    expect(new G722Decoder().decode(encoded, out, 0)).toBe(out.length);
    expect(out.length).toBe(reference.length);
    let differing = 0;
    for (let i = 0; i < out.length; i++) if (out[i] !== reference[i]) differing++;
    expect(differing).toBe(0);
  });

  it('reproduces the source signal (correlation at the codec delay)', () => {
    const out = new Int16Array(encoded.length * 2);
    new G722Decoder().decode(encoded, out, 0);
    // Encoder + decoder QMFs delay the signal by 22 samples.
    const best = Math.max(...[20, 21, 22, 23, 24].map((lag) => correlation(out, source, lag)));
    expect(best).toBeGreaterThan(0.98);
  });

  it('keeps its state across packets: 20 ms payloads decode like one long buffer', () => {
    const decoder = decoderFor('G722');
    const out = new Int16Array(encoded.length * 2);
    for (let at = 0; at < encoded.length; at += 160) {
      const payload = encoded.subarray(at, at + 160);
      expect(decoder.samplesIn(payload.length)).toBe(payload.length * 2);
      decoder.decode(payload, out, at * 2);
    }
    expect(Array.from(out)).toEqual(Array.from(reference));
    expect(decoder.sampleRate).toBe(16000);
  });
});

describe('codec registry', () => {
  it('has no decoder for G.729 or Opus, which are kept as raw payload', () => {
    expect(createPayloadDecoder('G729')).toBeNull();
    expect(createPayloadDecoder('OPUS')).toBeNull();
    expect(decodedSampleRate('G729')).toBeNull();
    expect(decodedSampleRate('G722')).toBe(16000);
  });
});

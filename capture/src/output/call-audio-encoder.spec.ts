import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StereoChunk } from '../calls/call-audio';
import { encodeStereoToFile } from './call-audio-encoder';
import { decodeOggFile, tonePower } from './testing/decode-ogg';

// The capture's recordings in the storage format: two uncoupled mono streams, within the size
// budget of 7.2 MB per call-hour whatever the audio, and a valid file even with no audio at all.

jest.setTimeout(60_000);

/** Seconds of stereo: a sweeping tone on the left, a steady one on the right (hard for a speech codec). */
function* tones(seconds: number): Generator<StereoChunk> {
  for (let s = 0; s < seconds; s++) {
    const left = new Int16Array(8000);
    const right = new Int16Array(8000);
    for (let i = 0; i < 8000; i++) {
      const t = s + i / 8000;
      left[i] = Math.round(8000 * Math.sin(2 * Math.PI * (300 + 200 * Math.sin(t)) * t));
      right[i] = Math.round(6000 * Math.sin(2 * Math.PI * 700 * t));
    }
    yield { left, right };
  }
}

describe('encodeStereoToFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'capture-encode-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps even music-like audio under 7.2 MB per hour, each party on its own channel', async () => {
    const path = join(dir, 'call.ogg');
    const encoded = await encodeStereoToFile(tones(60), 8000, path);
    const file = readFileSync(path);
    expect(encoded.bytes).toBe(file.length);
    expect(encoded.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(encoded.durationMs).toBe(60_000);
    expect((file.length / 60) * 3600).toBeLessThan(7.2e6);
    const decoded = await decodeOggFile(path);
    expect(decoded.head).toMatchObject({ channels: 2, mappingFamily: 1, streamCount: 2, coupledCount: 0 });
    const [left, right] = decoded.channels;
    expect(left.length).toBe(60 * 8000);
    expect(tonePower(right, 8000, 700)).toBeGreaterThan(100 * tonePower(left, 8000, 700));
    // Nothing but the file itself is left in the directory (the temporary file was renamed).
    expect(readdirSync(dir)).toEqual(['call.ogg']);
  });

  it('writes a valid zero-length recording when there is no audio', async () => {
    const path = join(dir, 'silent.ogg');
    const encoded = await encodeStereoToFile([], 8000, path);
    expect(encoded.durationMs).toBe(0);
    const decoded = await decodeOggFile(path);
    expect(decoded.channels.map((c) => c.length)).toEqual([0, 0]);
  });
});

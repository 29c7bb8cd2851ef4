import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePage } from '@appliance/audio-format';
import { NpmTranscoder } from './npm-transcoder';
import { CorruptAudioError, StorageOpusOptions } from './transcoder';
import { glide, pieces, wavFile } from './testing/signals';
import { collect, parsePages, Page } from './testing/verify';

const transcoder = new NpmTranscoder();
const rate = 8000;

async function store(input: Buffer, options?: StorageOpusOptions) {
  const job = transcoder.toStorageOpus(pieces(input, 3000), options);
  const ogg = await collect(job.output);
  return { ogg, result: await job.result };
}

/** An explicit bitrate (the default one) rules passthrough out: a full transcode of the same input. */
const FULL_TRANSCODE: StorageOpusOptions = { bitrateKbpsPerChannel: 7 };

function join_(pages: Page[]): Buffer {
  return Buffer.concat(
    pages.map((p) => encodePage({ ...p, granule: Number(p.granule), segments: p.lacing, body: p.body })),
  );
}

describe('storage-format Ogg Opus passthrough', () => {
  let stereo: Buffer;
  let mono: Buffer;
  beforeAll(async () => {
    stereo = (await store(wavFile('mulaw', rate, [glide(300, 900, rate, 5), glide(1200, 2400, rate, 5, 0, 2.5)]))).ogg;
    mono = (await store(wavFile('pcm16', rate, [glide(300, 900, rate, 3)]))).ogg;
  });

  it.each([
    ['two-party', () => stereo, 2],
    ['one-party', () => mono, 1],
  ])('stores %s storage Ogg Opus byte for byte, summarised as a full transcode would', async (_n, input, channels) => {
    const passed = await store(input());
    expect(passed.ogg.equals(input())).toBe(true);
    const full = await store(input(), FULL_TRANSCODE);
    expect(full.ogg.equals(input())).toBe(false); // really re-encoded (another serial at least)
    expect(passed.result).toEqual({ ...full.result, bytes: input().length });
    expect(passed.result.channels).toBe(channels);
    expect(passed.result.peaks.length).toBe(full.result.peaks.length);
    expect(passed.result.peaks.some((p) => Math.abs(p) > 0.1)).toBe(true);
  });

  it('re-encodes coupled stereo Ogg Opus (not the storage format) into uncoupled streams', async () => {
    const coupled = readFileSync(join(__dirname, 'testing', 'fixtures', 'tones-48k-stereo-coupled.opus'));
    const { ogg, result } = await store(coupled);
    expect(ogg.equals(coupled)).toBe(false);
    expect([...parsePages(ogg)[0].body.subarray(18)]).toEqual([1, 2, 0, 0, 1]);
    expect(result.channels).toBe(2);
  });

  it('re-encodes when asked for another channel count', async () => {
    const { ogg, result } = await store(stereo, { channels: 1 });
    expect(ogg.equals(stereo)).toBe(false);
    expect(result.channels).toBe(1);
  });

  it('refuses a page with a CRC error, as the transcoder does', async () => {
    const broken = Buffer.from(stereo);
    const third = parsePages(stereo).slice(0, 3);
    const offset = third.reduce((sum, p, i) => (i < 2 ? sum + 27 + p.lacing.length + p.body.length : sum), 0);
    broken[offset + 27 + third[2].lacing.length + 5] ^= 0x10;
    await expect(store(broken)).rejects.toThrow(CorruptAudioError);
    await expect(store(broken, FULL_TRANSCODE)).rejects.toThrow(/CRC/);
  });

  it.each([
    ['a missing page', (pages: Page[]) => pages.filter((_, i) => i !== 3)],
    ['a granule going back', (pages: Page[]) => pages.map((p, i) => (i === 3 ? { ...p, granule: BigInt(960) } : p))],
    ['output gain', (pages: Page[]) => pages.map((p, i) => (i === 0 ? { ...p, body: withGain(p.body) } : p))],
  ])('re-encodes a stream with %s rather than copying it', async (_n, change) => {
    const odd = join_(change(parsePages(stereo)));
    const { ogg, result } = await store(odd);
    expect(ogg.equals(odd)).toBe(false);
    expect(parsePages(ogg).every((p) => p.crcOk)).toBe(true);
    expect(result.channels).toBe(2);
  });
});

function withGain(head: Buffer): Buffer {
  const out = Buffer.from(head);
  out.writeInt16LE(256, 16);
  return out;
}

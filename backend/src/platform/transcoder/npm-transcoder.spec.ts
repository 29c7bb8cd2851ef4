import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NpmTranscoder } from './npm-transcoder';
import { CorruptAudioError, StorageOpusOptions, UnsupportedAudioError } from './transcoder';
import { glide, pieces, tone, WavEncoding, wavFile, wavHeaderOf } from './testing/signals';
import {
  bestCorrelation,
  collect,
  db,
  decimate,
  decodeIndependently,
  Decoded,
  envelope,
  parsePages,
  tonePower,
} from './testing/verify';

// The wasm-audio-decoders packages are ES modules: Jest loads their UMD builds.
jest.mock('opus-decoder', () => jest.requireActual('./testing/verify').umdBuild('opus-decoder'));
jest.mock('mpg123-decoder', () => jest.requireActual('./testing/verify').umdBuild('mpg123-decoder'));

const transcoder = new NpmTranscoder();
const fixture = (name: string) => readFileSync(join(__dirname, 'testing', 'fixtures', name));
const LEFT_HZ = 440;
const RIGHT_HZ = 1250;

async function transcode(input: Buffer, options?: StorageOpusOptions) {
  const job = transcoder.toStorageOpus(pieces(input, 3000), options);
  const ogg = await collect(job.output);
  return { ogg, result: await job.result, decoded: await decodeIndependently(ogg) };
}

/** Tone power (re. a full-scale sine) of freq in one decoded channel, away from the edges. */
function level(decoded: Decoded, channel: number, freq: number): number {
  const x = decoded.channels[channel];
  return db(tonePower(x, 48000, freq, 9600, x.length - 9600) / 0.5);
}

function expectValidOgg(ogg: Buffer, channels: number) {
  const pages = parsePages(ogg);
  expect(pages.every((p) => p.crcOk)).toBe(true);
  expect(new Set(pages.map((p) => p.serial)).size).toBe(1);
  expect(pages.map((p) => p.sequence)).toEqual(pages.map((_, i) => i));
  expect(pages[0].flags).toBe(2); // BOS
  expect(pages[pages.length - 1].flags).toBe(4); // EOS
  expect(pages[0].body.toString('latin1', 0, 8)).toBe('OpusHead');
  expect(pages[0].body[8]).toBe(1); // version
  expect(pages[0].body[9]).toBe(channels);
  if (channels === 2)
    expect([...pages[0].body.subarray(18)]).toEqual([1, 2, 0, 0, 1]); // family 1, 2 streams, 0 coupled, [0, 1]
  else expect(pages[0].body.length).toBe(19); // family 0
  expect(pages[1].body.toString('latin1', 0, 8)).toBe('OpusTags');
  const granules = pages.slice(2).map((p) => Number(p.granule));
  expect(granules).toEqual([...granules].sort((a, b) => a - b));
}

describe('NpmTranscoder.toStorageOpus', () => {
  it.each([
    ['µ-law', 'mulaw', 8000],
    ['A-law', 'alaw', 8000],
    ['16-bit PCM 44.1 kHz', 'pcm16', 44100],
    ['24-bit PCM 16 kHz', 'pcm24', 16000],
  ] as [string, WavEncoding, number][])(
    'keeps two parties apart: %s stereo WAV -> two uncoupled Opus streams',
    async (_name, encoding, rate) => {
      const seconds = 3;
      const { ogg, result, decoded } = await transcode(
        wavFile(encoding, rate, [tone(LEFT_HZ, rate, seconds), tone(RIGHT_HZ, rate, seconds)]),
      );
      expectValidOgg(ogg, 2);
      expect(decoded.head).toMatchObject({
        channels: 2,
        preSkip: 312,
        inputRate: rate,
        family: 1,
        streams: 2,
        coupled: 0,
      });
      expect(Math.abs(decoded.channels[0].length / 48 - seconds * 1000)).toBeLessThanOrEqual(30);
      expect(Math.abs(result.durationMs - seconds * 1000)).toBeLessThanOrEqual(30);
      // Each side carries its own tone, close to the -9 dB it went in at, and hardly any of the other.
      expect(level(decoded, 0, LEFT_HZ)).toBeGreaterThan(-12);
      expect(level(decoded, 1, RIGHT_HZ)).toBeGreaterThan(-12);
      expect(level(decoded, 1, LEFT_HZ) - level(decoded, 0, LEFT_HZ)).toBeLessThan(-20);
      expect(level(decoded, 0, RIGHT_HZ) - level(decoded, 1, RIGHT_HZ)).toBeLessThan(-20);
      const reference = tone(LEFT_HZ, 48000, seconds);
      expect(bestCorrelation(reference, decoded.channels[0], 96, 9600, 96000).r).toBeGreaterThan(0.9);
      // Peaks: 10 buckets a second, per channel [min, max], near the ±0.5 of the tones.
      expect(result.peakIntervalMs).toBe(100);
      expect(result.peaks.length).toBe(seconds * 10 * 2 * 2);
      result.peaks.slice(0, 4).forEach((p, i) => expect(Math.abs(p - (i % 2 ? 0.5 : -0.5))).toBeLessThanOrEqual(0.025));
      expect(result.bytes).toBe(ogg.length);
    },
  );

  it('keeps speech-like signals apart too (glides with different syllable rhythms on each side)', async () => {
    const rate = 8000;
    const left = glide(300, 900, rate, 4, 0, 4);
    const right = glide(1200, 2400, rate, 4, 0, 2.5);
    const { decoded } = await transcode(wavFile('mulaw', rate, [left, right]));
    const back = decoded.channels.map((c) => decimate(c, 6));
    // SILK at 7 kbit/s keeps the spectrum, not every waveform detail: compare 20 ms energy envelopes.
    const env = (x: Float32Array) => envelope(x.subarray(0, 4 * rate), 160);
    expect(bestCorrelation(env(left), env(back[0]), 2).r).toBeGreaterThan(0.9);
    expect(bestCorrelation(env(right), env(back[1]), 2).r).toBeGreaterThan(0.9);
    expect(bestCorrelation(env(left), env(back[1]), 0).r).toBeLessThan(0.5);
    expect(bestCorrelation(left, back[0], 8, 4000, 28000).r).toBeGreaterThan(0.6);
  });

  it('stores a one-minute two-party call in ≤ 120 kB (≤ 7.2 MB per call-hour)', async () => {
    const rate = 8000;
    const wav = wavFile('mulaw', rate, [glide(300, 900, rate, 60), glide(1200, 2400, rate, 60)]);
    const { ogg, result } = await transcode(wav);
    expect(result.durationMs).toBe(60_000);
    expect(ogg.length).toBeLessThanOrEqual(120_000);
    expect(ogg.length).toBeGreaterThan(60_000); // the bitrate is really used: ~2 × 7 kbit/s
  });

  it('writes a mono source as one mono stream (family 0), and mixes stereo down on request', async () => {
    const mono = await transcode(wavFile('pcm16', 8000, [tone(LEFT_HZ, 8000, 2)]));
    expectValidOgg(mono.ogg, 1);
    expect(mono.result.channels).toBe(1);
    expect(level(mono.decoded, 0, LEFT_HZ)).toBeGreaterThan(-12);

    const mixed = await transcode(wavFile('alaw', 8000, [tone(LEFT_HZ, 8000, 2), tone(RIGHT_HZ, 8000, 2)]), {
      channels: 1,
    });
    expectValidOgg(mixed.ogg, 1);
    // Each tone at half amplitude (-15 dB), and the mono stream has only 7 kbit/s for both.
    expect(level(mixed.decoded, 0, LEFT_HZ)).toBeGreaterThan(-24);
    expect(level(mixed.decoded, 0, RIGHT_HZ)).toBeGreaterThan(-24);
  });

  it('takes MP3 (mpg123): stereo kept apart, gapless duration', async () => {
    const { ogg, result, decoded } = await transcode(fixture('tones-22k-stereo.mp3'));
    expectValidOgg(ogg, 2);
    expect(decoded.head.inputRate).toBe(22050);
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(30);
    expect(level(decoded, 0, LEFT_HZ)).toBeGreaterThan(-12);
    expect(level(decoded, 1, RIGHT_HZ)).toBeGreaterThan(-12);
    expect(level(decoded, 1, LEFT_HZ) - level(decoded, 0, LEFT_HZ)).toBeLessThan(-20);
  });

  it('takes Ogg Opus from another encoder (opusenc, coupled stereo) and re-stores it uncoupled', async () => {
    const { ogg, result, decoded } = await transcode(fixture('tones-48k-stereo-coupled.opus'), {
      bitrateKbpsPerChannel: 12,
    });
    expectValidOgg(ogg, 2);
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(30);
    expect(level(decoded, 0, LEFT_HZ)).toBeGreaterThan(-12);
    expect(level(decoded, 1, RIGHT_HZ)).toBeGreaterThan(-12);
    expect(level(decoded, 1, LEFT_HZ) - level(decoded, 0, LEFT_HZ)).toBeLessThan(-20);
  });

  it('re-reads its own output (Ogg Opus in, Ogg Opus out) without drift', async () => {
    const first = await transcode(wavFile('mulaw', 8000, [tone(LEFT_HZ, 8000, 2), tone(RIGHT_HZ, 8000, 2)]));
    const again = await transcode(first.ogg);
    expect(again.result.durationMs).toBe(2000);
    expect(level(again.decoded, 0, LEFT_HZ)).toBeGreaterThan(-13);
    expect(level(again.decoded, 1, LEFT_HZ) - level(again.decoded, 0, LEFT_HZ)).toBeLessThan(-20);
  });

  it.each([
    [
      'MP3 in WAV (format 0x55)',
      wavHeaderOf(0x55, 8000, 1, 100),
      UnsupportedAudioError,
      /WAV codec mp3 \(format 0x0055/,
    ],
    ['IMA ADPCM', wavHeaderOf(0x11, 8000, 1, 100), UnsupportedAudioError, /ima_adpcm/],
    ['FLAC', Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(100)]), UnsupportedAudioError, /FLAC is not supported/],
    ['garbage', Buffer.from('definitely not audio at all'), UnsupportedAudioError, /unrecognised audio format/],
    [
      'a truncated WAV header',
      wavFile('pcm16', 8000, [tone(1, 8000, 0.01)]).subarray(0, 30),
      UnsupportedAudioError,
      /WAV fmt chunk shorter than 16 bytes/,
    ],
    [
      'a WAV cut inside its fmt chunk',
      wavFile('pcm16', 8000, [tone(1, 8000, 0.01)]).subarray(0, 36),
      CorruptAudioError,
      /WAV file without data chunk/,
    ],
  ])('fails %s with an error naming it, on both output and result', async (_name, input, type, message) => {
    const job = transcoder.toStorageOpus(pieces(input));
    await expect(collect(job.output)).rejects.toThrow(message);
    await expect(job.result).rejects.toBeInstanceOf(type);
  });

  it('refuses bitrates outside 6-32 kbit/s per channel', () => {
    expect(() => transcoder.toStorageOpus(pieces(Buffer.alloc(0)), { bitrateKbpsPerChannel: 64 })).toThrow(/6-32/);
  });
});

describe('NpmTranscoder.toWav', () => {
  it('decodes storage Ogg Opus to 16-bit PCM WAV at the source rate, parties still apart', async () => {
    const { ogg } = await transcode(wavFile('mulaw', 8000, [tone(LEFT_HZ, 8000, 2), tone(RIGHT_HZ, 8000, 2)]));
    const wav = await collect(transcoder.toWav(pieces(ogg, 500)));
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(40)).toBe(0xffffffff); // length unknown while streaming
    const frames = (wav.length - 44) / 4;
    expect(Math.abs(frames / 8 - 2000)).toBeLessThanOrEqual(30);
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      left[i] = wav.readInt16LE(44 + 4 * i) / 32768;
      right[i] = wav.readInt16LE(46 + 4 * i) / 32768;
    }
    expect(bestCorrelation(tone(LEFT_HZ, 8000, 2), left, 16, 1600, 14400).r).toBeGreaterThan(0.9);
    expect(db(tonePower(right, 8000, LEFT_HZ, 1600, 14400) / tonePower(left, 8000, LEFT_HZ, 1600, 14400))).toBeLessThan(
      -20,
    );
  });

  it('writes exact sizes and length when the duration is known, at the rate asked for', async () => {
    const { ogg } = await transcode(wavFile('pcm16', 8000, [tone(LEFT_HZ, 8000, 1.5)]));
    const wav = await collect(transcoder.toWav(pieces(ogg), { durationMs: 1500, sampleRate: 16000 }));
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(40)).toBe(1500 * 16 * 2);
    expect(wav.readUInt32LE(4)).toBe(36 + 1500 * 16 * 2);
    expect(wav.length).toBe(44 + 1500 * 16 * 2);
  });

  it('fails clearly on input that is not Ogg Opus', async () => {
    await expect(collect(transcoder.toWav(pieces(Buffer.from('RIFF....WAVE'))))).rejects.toThrow(/no Ogg page/);
  });
});

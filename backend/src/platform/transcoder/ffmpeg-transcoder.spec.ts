import { spawnSync } from 'node:child_process';
import { FfmpegTranscoder, ffmpegAvailable } from './ffmpeg-transcoder';
import { NpmTranscoder } from './npm-transcoder';
import { UnsupportedAudioError } from './transcoder';
import { createTranscoder } from './transcoder.factory';
import { encodeSamples, pieces, tone, wavFile } from './testing/signals';
import { collect, db, decodeIndependently, parsePages, tonePower } from './testing/verify';

jest.mock('opus-decoder', () => jest.requireActual('./testing/verify').umdBuild('opus-decoder'));

const hasFfmpeg = ffmpegAvailable();
const withFfmpeg = hasFfmpeg ? describe : describe.skip;

describe('createTranscoder', () => {
  it('uses the npm driver unless told otherwise', () => {
    expect(createTranscoder().driver).toBe('npm');
    expect(createTranscoder({ driver: 'auto', ffmpegPath: '/nonexistent/ffmpeg' })).toBeInstanceOf(NpmTranscoder);
  });

  it('fails fast when ffmpeg is required but does not run', () => {
    expect(() => createTranscoder({ driver: 'ffmpeg', ffmpegPath: '/nonexistent/ffmpeg' })).toThrow(
      /\/nonexistent\/ffmpeg does not run/,
    );
  });
});

withFfmpeg('FfmpegTranscoder (ffmpeg on PATH)', () => {
  const transcoder = new FfmpegTranscoder();
  const left = tone(440, 8000, 2);
  const right = tone(1250, 8000, 2);

  async function store(input: Buffer) {
    const job = transcoder.toStorageOpus(pieces(input));
    const ogg = await collect(job.output);
    return { ogg, result: await job.result, decoded: await decodeIndependently(ogg) };
  }

  it('is what auto picks where ffmpeg runs', () => {
    expect(createTranscoder({ driver: 'auto' }).driver).toBe('ffmpeg');
  });

  it('stores the same layout as the npm driver: two uncoupled streams, parties apart', async () => {
    const { ogg, result, decoded } = await store(wavFile('mulaw', 8000, [left, right]));
    expect(parsePages(ogg).every((p) => p.crcOk)).toBe(true);
    expect(decoded.head).toMatchObject({ channels: 2, family: 1, streams: 2, coupled: 0, inputRate: 8000 });
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(30);
    const [l, r] = decoded.channels;
    expect(db(tonePower(r, 48000, 440, 9600, 86400) / tonePower(l, 48000, 440, 9600, 86400))).toBeLessThan(-20);
  });

  it('accepts codecs the npm driver refuses (IMA ADPCM in WAV)', async () => {
    const pcm = encodeSamples('pcm16', [left, right]);
    const made = spawnSync(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        's16le',
        '-ar',
        '8000',
        '-ac',
        '2',
        '-i',
        'pipe:0',
        '-c:a',
        'adpcm_ima_wav',
        '-f',
        'wav',
        'pipe:1',
      ],
      { input: pcm },
    );
    const adpcm = made.stdout;
    expect(new NpmTranscoder().probe(adpcm)).toBeInstanceOf(UnsupportedAudioError);
    expect(transcoder.probe(adpcm)).toMatchObject({ container: 'wav', codec: 'ima_adpcm' });
    const { decoded } = await store(adpcm);
    const [l, r] = decoded.channels;
    expect(db(tonePower(l, 48000, 440, 9600, 86400) / 0.5)).toBeGreaterThan(-14);
    expect(db(tonePower(r, 48000, 440, 9600, 86400) / tonePower(l, 48000, 440, 9600, 86400))).toBeLessThan(-20);
  });

  it("fails bytes ffmpeg cannot read with ffmpeg's reason", async () => {
    expect(transcoder.probe(Buffer.from('not audio at all'))).toBeInstanceOf(UnsupportedAudioError);
    const job = transcoder.toStorageOpus(pieces(Buffer.from('not audio at all, really not')));
    await expect(collect(job.output)).rejects.toThrow(/ffmpeg could not decode the input: .+/);
    await expect(job.result).rejects.toBeInstanceOf(UnsupportedAudioError);
  });
});

if (!hasFfmpeg) it.skip('FfmpegTranscoder: ffmpeg is not on PATH here', () => undefined);

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmivoiceEngine } from '../src/products/vnote/transcription/engines/amivoice-engine';
import { AwsTranscribeEngine } from '../src/products/vnote/transcription/engines/aws-transcribe-engine';
import { PocketsphinxEngine } from '../src/products/vnote/transcription/engines/pocketsphinx-engine';
import { SherpaOnnxEngine } from '../src/products/vnote/transcription/engines/sherpa-onnx-engine';
import { PermanentEngineError } from '../src/products/vnote/transcription/engines/speech-engine';
import { AmivoiceStandIn } from './support/amivoice-standin';
import { AwsTranscribeStandIn } from './support/aws-transcribe-standin';
import { wordErrorRate } from './support/vnote-spoken-call';

const SENTENCE = 'hello i would like to check my order number four five six please';
/** Measured 0.077 (1 word wrong of 13: "please" heard as "days"); see docs/benchmarks.md. */
const MAX_CLEAN_WER = 0.2;

/** Each engine adapter on its own: the real local recogniser, and the cloud APIs through stand-ins. */
describe('FlexVNote speech engines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnote-engines-'));
  const wav = join(dir, 'speech.wav');
  beforeAll(() => {
    execFileSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '165', '-w', join(dir, 'raw.wav'), SENTENCE]);
    // ffmpeg's resampler, as the pipeline uses; 300 ms of silence either side like a real utterance.
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-i',
      join(dir, 'raw.wav'),
      '-af',
      'adelay=300,apad=pad_dur=0.3',
      '-ar',
      '16000',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const request = (options: Record<string, unknown> = {}, language = 'en-US') => ({
    wavPath: wav,
    channel: 1,
    jobName: 'job-1',
    language,
    options,
    hotwords: ['フレックス'],
  });

  it('pocketsphinx recognises clean 16 kHz speech with word times (WER measured)', async () => {
    const segments = await new PocketsphinxEngine().transcribe(request());
    const text = segments.map((s) => s.text).join(' ');
    const wer = wordErrorRate(SENTENCE, text);
    console.log(`pocketsphinx clean-audio WER=${wer.toFixed(3)} heard: ${text}`);
    expect(wer).toBeLessThanOrEqual(MAX_CLEAN_WER);
    expect(segments[0].startMs).toBeGreaterThanOrEqual(200);
    for (const s of segments) {
      expect(s.endMs).toBeGreaterThan(s.startMs);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1000);
    }
  }, 60_000);

  it('pocketsphinx missing from PATH fails the attempt with the binary named', async () => {
    await expect(new PocketsphinxEngine('pocketsphinx_not_here').transcribe(request())).rejects.toThrow(
      'pocketsphinx_not_here is not installed (not on PATH)',
    );
  });

  describe('sherpa-onnx', () => {
    const root = join(dir, 'models');
    const engine = new SherpaOnnxEngine(root);
    beforeAll(() => mkdirSync(join(root, 'reazonspeech-k2'), { recursive: true }));

    it('names the model path when the model is missing, and the files when some are', () => {
      expect(() => engine.checkModel({ modelDir: 'nothing-here', modelType: 'transducer' })).toThrow(
        `sherpa-onnx: model not found at ${join(root, 'nothing-here')}`,
      );
      writeFileSync(join(root, 'reazonspeech-k2', 'tokens.txt'), 'a 0\n');
      writeFileSync(join(root, 'reazonspeech-k2', 'encoder-epoch-99-avg-1.int8.onnx'), '');
      expect(() => engine.checkModel({ modelDir: 'reazonspeech-k2', modelType: 'transducer' })).toThrow(
        `sherpa-onnx: model not found at ${join(root, 'reazonspeech-k2')} (missing decoder*.onnx, joiner*.onnx)`,
      );
      expect(() => engine.checkModel({ modelDir: 'reazonspeech-k2', modelType: 'transducer' })).toThrow(
        PermanentEngineError,
      );
    });

    it('refuses model directories outside VNOTE_MODELS_DIR and bad options, by field', () => {
      expect(engine.validateOptions({ modelDir: '../../etc', modelType: 'whisper', numThreads: 99 })).toEqual([
        { field: 'engineOptions.modelDir', message: `must be inside ${root}` },
        { field: 'engineOptions.modelType', message: 'must be one of transducer, sense-voice' },
        { field: 'engineOptions.numThreads', message: 'must be an integer 1-8' },
      ]);
    });

    it('says clearly when the engine package is not installed, without breaking anything', async () => {
      const missing = new SherpaOnnxEngine(root, () => null);
      expect(await missing.availability()).toBe(
        'engine package not installed: sherpa-onnx-node (npm install sherpa-onnx-node@1.13.8)',
      );
      writeFileSync(join(root, 'reazonspeech-k2', 'decoder-epoch-99-avg-1.onnx'), '');
      writeFileSync(join(root, 'reazonspeech-k2', 'joiner-epoch-99-avg-1.onnx'), '');
      await expect(
        missing.transcribe(request({ modelDir: 'reazonspeech-k2', modelType: 'transducer' }, 'ja-JP')),
      ).rejects.toThrow('sherpa-onnx: engine package not installed: sherpa-onnx-node');
    });
  });

  describe('Amazon Transcribe through a stand-in (S3 PutObject + Transcribe JSON 1.1, SigV4)', () => {
    const creds = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin/secret+key', region: 'ap-northeast-1' };
    const aws = new AwsTranscribeStandIn(creds, () => [
      {
        type: 'pronunciation',
        start_time: '0.31',
        end_time: '0.80',
        alternatives: [{ confidence: '0.98', content: 'お電話' }],
      },
      {
        type: 'pronunciation',
        start_time: '0.80',
        end_time: '1.40',
        alternatives: [{ confidence: '0.90', content: 'ありがとうございます' }],
      },
      { type: 'punctuation', alternatives: [{ confidence: '0.0', content: '。' }] },
      {
        type: 'pronunciation',
        start_time: '3.00',
        end_time: '3.50',
        alternatives: [{ confidence: '0.70', content: '注文' }],
      },
    ]);
    beforeAll(() => aws.start());
    afterAll(() => aws.stop());
    const engine = () => new AwsTranscribeEngine({ transcribe: aws.url, s3: aws.url, pollIntervalMs: 10 });
    const options = {
      region: creds.region,
      bucket: 'call-audio',
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
    };

    it('uploads the channel, starts and polls the job, and turns items into segments split at pauses', async () => {
      const segments = await engine().transcribe(request(options, 'ja-JP'));
      expect(segments).toEqual([
        { startMs: 310, endMs: 1400, text: 'お電話ありがとうございます。', confidence: 940 },
        { startMs: 3000, endMs: 3500, text: '注文', confidence: 700 },
      ]);
      expect([...aws.objects.keys()]).toEqual(['call-audio/vnote/job-1-ch1.wav']);
      const start = aws.requests.find((r) => r.target === 'Transcribe.StartTranscriptionJob')?.body;
      expect(start).toMatchObject({
        LanguageCode: 'ja-JP',
        MediaFormat: 'wav',
        MediaSampleRateHertz: 16000,
        Media: { MediaFileUri: 's3://call-audio/vnote/job-1-ch1.wav' },
      });
      expect(aws.requests.filter((r) => r.target === 'Transcribe.GetTranscriptionJob').length).toBe(2);
    });

    it('treats refused credentials as permanent (dead letter, no retries)', async () => {
      const wrong = engine().transcribe(request({ ...options, secretAccessKey: 'wrong' }, 'ja-JP'));
      await expect(wrong).rejects.toThrow(PermanentEngineError);
      await expect(engine().transcribe(request({ ...options, secretAccessKey: 'wrong' }, 'ja-JP'))).rejects.toThrow(
        /S3 PutObject answered 403: .*signature we calculated does not match/,
      );
      await expect(engine().transcribe(request({ region: 'tokyo' }, 'ja-JP'))).rejects.toThrow(
        /^aws-transcribe is not configured: engineOptions.bucket is required; .*engineOptions.region must be an AWS region such as ap-northeast-1$/,
      );
    });
  });

  describe('AmiVoice through a stand-in (POST /v1/recognize, multipart u/d/c/a)', () => {
    const ami = new AmivoiceStandIn('APPKEY-standin', () => [
      {
        tokens: [
          { written: 'お世話', starttime: 200, endtime: 600, confidence: 0.9 },
          { written: 'になります', starttime: 600, endtime: 1100, confidence: 0.8 },
        ],
      },
      { tokens: [{ written: '解約', starttime: 2500, endtime: 2900, confidence: 0.6 }] },
    ]);
    beforeAll(() => ami.start());
    afterAll(() => ami.stop());
    const engine = () => new AmivoiceEngine({ baseUrl: ami.url });

    it('sends the audio last with the key, grammar and profile words, and reads tokens into segments', async () => {
      const segments = await engine().transcribe(request({ appKey: 'APPKEY-standin', grammar: '-a-general' }, 'ja-JP'));
      expect(segments).toEqual([
        { startMs: 200, endMs: 1100, text: 'お世話になります', confidence: 850 },
        { startMs: 2500, endMs: 2900, text: '解約', confidence: 600 },
      ]);
      const sent = ami.requests[0];
      expect(sent.path).toBe('/v1/nolog/recognize');
      expect(sent.order).toEqual(['u', 'd', 'c', 'a']);
      expect(sent.fields['d']).toBe('grammarFileNames=-a-general profileWords=フレックス フレックス');
      expect(sent.audioBytes).toBeGreaterThan(10_000);
    });

    it('turns an AmiVoice error code into a permanent error with its message', async () => {
      await expect(engine().transcribe(request({ appKey: 'wrong', logging: true }, 'ja-JP'))).rejects.toThrow(
        'amivoice refused the request (code -): received illegal service authorization',
      );
      expect(ami.requests[1].path).toBe('/v1/recognize');
    });
  });
});

import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EngineRequest, PermanentEngineError, RecognisedSegment, SpeechEngine } from './speech-engine';
import { speechSpans } from './speech-spans';

const PACKAGE = 'sherpa-onnx-node';
const MODEL_TYPES = ['transducer', 'sense-voice'] as const;
type ModelType = (typeof MODEL_TYPES)[number];

/** The files each model type needs in its directory (docs/vnote-models.md says where they come from). */
export function requiredModelFiles(type: ModelType, dir: string): { file: string; found: string | null }[] {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const pick = (prefix: string) => {
    const matches = names.filter((n) => n.startsWith(prefix) && n.endsWith('.onnx'));
    // Prefer the int8 build when both are there: a third of the size, same accuracy for these models.
    return matches.find((n) => n.includes('int8')) ?? matches[0] ?? null;
  };
  const tokens = names.includes('tokens.txt') ? 'tokens.txt' : null;
  if (type === 'sense-voice')
    return [
      { file: 'model*.onnx', found: pick('model') },
      { file: 'tokens.txt', found: tokens },
    ];
  return [
    { file: 'encoder*.onnx', found: pick('encoder') },
    { file: 'decoder*.onnx', found: pick('decoder') },
    { file: 'joiner*.onnx', found: pick('joiner') },
    { file: 'tokens.txt', found: tokens },
  ];
}

// The package is optional and native: loaded on first use so its absence never breaks start-up.
type SherpaModule = {
  OfflineRecognizer: new (config: unknown) => {
    createStream(): { acceptWaveform(w: { sampleRate: number; samples: Float32Array }): void };
    decode(stream: unknown): void;
    getResult(stream: unknown): { text: string };
  };
  readWave(path: string): { sampleRate: number; samples: Float32Array };
};
let loaded: SherpaModule | null | undefined;
function loadSherpa(): SherpaModule | null {
  if (loaded !== undefined) return loaded;
  try {
    loaded = require(PACKAGE) as SherpaModule;
  } catch {
    loaded = null;
  }
  return loaded;
}

/**
 * sherpa-onnx (k2-fsa), offline on CPU: a ReazonSpeech k2 zipformer transducer (Japanese) or
 * SenseVoice (ja/en/zh/ko/yue) from a model directory under VNOTE_MODELS_DIR. No model ships with
 * the appliance: a missing one fails the job with the path and the file it looked for.
 */
export class SherpaOnnxEngine implements SpeechEngine {
  readonly name = 'sherpa-onnx' as const;
  readonly languages = ['ja-JP', 'en-US', 'zh-CN', 'ko-KR'] as const;
  readonly sampleRate = 16000;
  readonly optionKeys = ['modelDir', 'modelType', 'numThreads'] as const;
  readonly secretOptions = [] as const;

  constructor(
    private readonly modelsRoot: string,
    private readonly load: () => SherpaModule | null = loadSherpa,
  ) {}

  async availability(): Promise<string | null> {
    return this.load() ? null : `engine package not installed: ${PACKAGE} (npm install ${PACKAGE}@1.13.8)`;
  }

  validateOptions(o: Record<string, unknown>): { field: string; message: string }[] {
    const errors: { field: string; message: string }[] = [];
    const dir = o['modelDir'];
    if (typeof dir !== 'string' || !dir || dir.length > 200)
      errors.push({ field: 'engineOptions.modelDir', message: 'is required: a directory name under VNOTE_MODELS_DIR' });
    else if (this.outsideRoot(dir))
      errors.push({ field: 'engineOptions.modelDir', message: `must be inside ${this.modelsRoot}` });
    if (!MODEL_TYPES.includes(o['modelType'] as ModelType))
      errors.push({ field: 'engineOptions.modelType', message: `must be one of ${MODEL_TYPES.join(', ')}` });
    const threads = o['numThreads'];
    if (threads !== undefined && !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= 8))
      errors.push({ field: 'engineOptions.numThreads', message: 'must be an integer 1-8' });
    return errors;
  }

  /** The model directory of these options, or why it cannot be used (missing files name the path). */
  checkModel(o: Record<string, unknown>): { dir: string; files: Record<string, string> } {
    const problems = this.validateOptions(o);
    if (problems.length)
      throw new PermanentEngineError(
        `sherpa-onnx is not configured: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      );
    const dir = resolve(this.modelsRoot, o['modelDir'] as string);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new PermanentEngineError(`sherpa-onnx: model not found at ${dir}`);
    const files = requiredModelFiles(o['modelType'] as ModelType, dir);
    const missing = files.filter((f) => !f.found).map((f) => f.file);
    if (missing.length)
      throw new PermanentEngineError(`sherpa-onnx: model not found at ${dir} (missing ${missing.join(', ')})`);
    return { dir, files: Object.fromEntries(files.map((f) => [f.file, join(dir, f.found as string)])) };
  }

  async transcribe(request: EngineRequest): Promise<RecognisedSegment[]> {
    const model = this.checkModel(request.options);
    const sherpa = this.load();
    if (!sherpa) throw new PermanentEngineError(`sherpa-onnx: ${await this.availability()}`);
    const type = request.options['modelType'] as ModelType;
    const numThreads = (request.options['numThreads'] as number | undefined) ?? 1;
    const modelConfig =
      type === 'sense-voice'
        ? { senseVoice: { model: model.files['model*.onnx'], language: '', useInverseTextNormalization: 1 } }
        : {
            transducer: {
              encoder: model.files['encoder*.onnx'],
              decoder: model.files['decoder*.onnx'],
              joiner: model.files['joiner*.onnx'],
            },
          };
    const recognizer = new sherpa.OfflineRecognizer({
      featConfig: { sampleRate: this.sampleRate, featureDim: 80 },
      modelConfig: { ...modelConfig, tokens: model.files['tokens.txt'], numThreads, provider: 'cpu' },
      decodingMethod: 'greedy_search',
    });
    const wave = sherpa.readWave(request.wavPath);
    // Offline models take one utterance at a time: the channel is cut at its pauses first.
    return speechSpans(wave.samples, wave.sampleRate).flatMap((span) => {
      const stream = recognizer.createStream();
      stream.acceptWaveform({ sampleRate: wave.sampleRate, samples: wave.samples.subarray(span.start, span.end) });
      recognizer.decode(stream);
      const text = recognizer.getResult(stream).text.trim();
      if (!text) return [];
      const ms = (i: number) => Math.round((i / wave.sampleRate) * 1000);
      // The offline API gives no per-utterance score; 0 means "not reported".
      return [{ startMs: ms(span.start), endMs: ms(span.end), text, confidence: 0 }];
    });
  }

  private outsideRoot(dir: string): boolean {
    const full = isAbsolute(dir) ? dir : resolve(this.modelsRoot, dir);
    const rel = relative(this.modelsRoot, full);
    return rel.startsWith('..') || isAbsolute(rel);
  }
}

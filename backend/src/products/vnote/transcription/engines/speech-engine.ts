/** What one engine heard on one channel: stretches of speech with their times and confidence. */
export interface RecognisedSegment {
  startMs: number;
  endMs: number;
  text: string;
  /** Per mille (0-1000). */
  confidence: number;
}

export interface EngineRequest {
  /** 16-bit PCM WAV, mono, at the engine's `sampleRate`. */
  wavPath: string;
  /** Which channel this is (0 left/customer, 1 right/operator): cloud adapters name uploads by it. */
  channel: number;
  /** Identifies the job (cloud adapters name their uploads and jobs after it). */
  jobName: string;
  language: string;
  options: Record<string, unknown>;
  hotwords: string[];
}

export const ENGINE_NAMES = ['pocketsphinx', 'sherpa-onnx', 'aws-transcribe', 'amivoice'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** One recogniser behind the pipeline: each tenant picks one in its settings. */
export interface SpeechEngine {
  readonly name: EngineName;
  readonly languages: readonly string[];
  /** Sample rate the engine wants its mono input at. */
  readonly sampleRate: number;
  /** Option keys it accepts; `secretOptions` are write-only through the API. */
  readonly optionKeys: readonly string[];
  readonly secretOptions: readonly string[];
  /** Null when it can run here, else why not (shown in settings). */
  availability(): Promise<string | null>;
  /** Field errors for a tenant's options (field names relative to engineOptions). */
  validateOptions(options: Record<string, unknown>): { field: string; message: string }[];
  transcribe(request: EngineRequest): Promise<RecognisedSegment[]>;
}

/**
 * A failure that another attempt cannot fix (no model, package missing, engine not configured,
 * credentials refused): the job goes to the dead-letter list at once instead of being retried.
 */
export class PermanentEngineError extends Error {
  override readonly name = 'PermanentEngineError';
}

export const SPEECH_ENGINES = Symbol('SPEECH_ENGINES');

export const optionalString = (
  options: Record<string, unknown>,
  key: string,
  errors: { field: string; message: string }[],
  required = false,
): void => {
  const value = options[key];
  if (value === undefined || value === null || value === '') {
    if (required) errors.push({ field: `engineOptions.${key}`, message: 'is required' });
    return;
  }
  if (typeof value !== 'string' || value.length > 500)
    errors.push({ field: `engineOptions.${key}`, message: 'must be a string of at most 500 characters' });
};

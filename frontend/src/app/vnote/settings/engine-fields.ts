import { EngineName, EngineOptionValue } from '../vnote.types';

/** A secret the server keeps: sending this back leaves the stored value as it is. */
export const KEPT_SECRET = '********';

/** One engine option as a form field (docs/vnote/transcription-api.md, "engineOptions per engine"). */
export interface EngineField {
  key: string;
  type: 'text' | 'number' | 'select' | 'boolean' | 'secret';
  required: boolean;
  choices?: string[];
  min?: number;
  max?: number;
  placeholder?: string;
}

export const ENGINE_FIELDS: Record<EngineName, EngineField[]> = {
  pocketsphinx: [],
  'sherpa-onnx': [
    { key: 'modelDir', type: 'text', required: true, placeholder: 'reazonspeech-k2-zipformer' },
    { key: 'modelType', type: 'select', required: true, choices: ['transducer', 'sense-voice'] },
    { key: 'numThreads', type: 'number', required: false, min: 1, max: 8 },
  ],
  'aws-transcribe': [
    { key: 'region', type: 'text', required: true, placeholder: 'ap-northeast-1' },
    { key: 'bucket', type: 'text', required: true },
    { key: 'accessKeyId', type: 'text', required: true },
    { key: 'secretAccessKey', type: 'secret', required: true },
  ],
  amivoice: [
    { key: 'appKey', type: 'secret', required: true },
    { key: 'grammar', type: 'text', required: true, placeholder: '-a-general' },
    { key: 'logging', type: 'boolean', required: false },
  ],
};

/** Form values (strings from inputs, booleans from toggles) of one engine's fields. */
export type EngineFormValues = Record<string, string | boolean>;

export function formValuesFor(engine: EngineName, stored: Record<string, EngineOptionValue>): EngineFormValues {
  const out: EngineFormValues = {};
  for (const f of ENGINE_FIELDS[engine]) {
    const v = stored[f.key];
    out[f.key] = f.type === 'boolean' ? v === true : v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/**
 * The `engineOptions` body for an engine: only its own keys (the server refuses unknown ones),
 * numbers as numbers, empty optional fields left out. Problems name the field key.
 */
export function engineOptionsFor(
  engine: EngineName,
  values: EngineFormValues,
): { options: Record<string, EngineOptionValue>; problems: { field: string; key: string }[] } {
  const options: Record<string, EngineOptionValue> = {};
  const problems: { field: string; key: string }[] = [];
  for (const f of ENGINE_FIELDS[engine]) {
    const raw = values[f.key];
    if (f.type === 'boolean') {
      options[f.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (!text) {
      if (f.required) problems.push({ field: f.key, key: 'required' });
      continue;
    }
    if (f.type === 'number') {
      const n = Number(text);
      if (!Number.isInteger(n) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
        problems.push({ field: f.key, key: 'range' });
        continue;
      }
      options[f.key] = n;
    } else if (f.choices && !f.choices.includes(text)) problems.push({ field: f.key, key: 'choice' });
    else options[f.key] = text;
  }
  return { options, problems };
}

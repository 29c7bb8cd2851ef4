import { readFile } from 'node:fs/promises';
import { EngineRequest, optionalString, PermanentEngineError, RecognisedSegment, SpeechEngine } from './speech-engine';

interface AmiToken {
  written: string;
  confidence?: number;
  starttime?: number;
  endtime?: number;
}
interface AmiResult {
  tokens?: AmiToken[];
  confidence?: number;
  starttime?: number;
  endtime?: number;
  text?: string;
}

export interface AmivoiceEndpoint {
  /** Override of https://acp-api.amivoice.com (the tests' stand-in). */
  baseUrl?: string;
}

/**
 * AmiVoice Cloud Platform, synchronous HTTP interface: POST /v1/recognize (or /v1/nolog/recognize,
 * which keeps no audio or logs on their side) as multipart with `u` (APPKEY), `d` (grammar and
 * profile words), `c` (audio format) and `a` (the audio, last). Each result is an utterance with
 * its tokens' written form, times in ms and confidence 0-1.
 */
export class AmivoiceEngine implements SpeechEngine {
  readonly name = 'amivoice' as const;
  readonly languages = ['ja-JP'] as const;
  readonly sampleRate = 16000;
  readonly optionKeys = ['appKey', 'grammar', 'logging'] as const;
  readonly secretOptions = ['appKey'] as const;

  constructor(private readonly endpoint: AmivoiceEndpoint = {}) {}

  async availability(): Promise<string | null> {
    return null;
  }

  validateOptions(o: Record<string, unknown>): { field: string; message: string }[] {
    const errors: { field: string; message: string }[] = [];
    optionalString(o, 'appKey', errors, true);
    optionalString(o, 'grammar', errors);
    if (typeof o['grammar'] === 'string' && !/^-a[\w-]*$/.test(o['grammar']))
      errors.push({ field: 'engineOptions.grammar', message: 'must be an AmiVoice engine name such as -a-general' });
    if (o['logging'] !== undefined && typeof o['logging'] !== 'boolean')
      errors.push({ field: 'engineOptions.logging', message: 'must be true or false' });
    return errors;
  }

  async transcribe(request: EngineRequest): Promise<RecognisedSegment[]> {
    const o = request.options;
    const problems = this.validateOptions(o);
    if (problems.length)
      throw new PermanentEngineError(
        `amivoice is not configured: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      );
    const grammar = (o['grammar'] as string | undefined) || '-a-general';
    // Hotwords as profile words: "written reading" pairs; we have no reading, so written serves as both.
    const words = request.hotwords.filter((w) => !/[\s|]/.test(w)).map((w) => `${w} ${w}`);
    const d = words.length ? `grammarFileNames=${grammar} profileWords=${words.join('|')}` : grammar;
    const form = new FormData();
    form.append('u', String(o['appKey']));
    form.append('d', d);
    form.append('c', 'LSB16K');
    // The audio must be the last part.
    form.append('a', new Blob([new Uint8Array(await readFile(request.wavPath))], { type: 'audio/wav' }), 'audio.wav');
    const base = (this.endpoint.baseUrl ?? 'https://acp-api.amivoice.com').replace(/\/$/, '');
    const path = o['logging'] === true ? '/v1/recognize' : '/v1/nolog/recognize';
    const res = await fetch(`${base}${path}`, { method: 'POST', body: form });
    if (!res.ok) {
      const message = `amivoice answered ${res.status}: ${(await res.text()).slice(0, 300)}`;
      if (res.status === 401 || res.status === 403) throw new PermanentEngineError(message);
      throw new Error(message);
    }
    const body = (await res.json()) as { code?: string; message?: string; results?: AmiResult[] };
    // code "" is success; a letter code names the failure (e.g. "-" no APPKEY/authentication, "!" bad audio).
    if (body.code)
      throw new PermanentEngineError(`amivoice refused the request (code ${body.code}): ${body.message ?? ''}`);
    return (body.results ?? []).map(resultToSegment).filter((s): s is RecognisedSegment => !!s);
  }
}

export function resultToSegment(result: AmiResult): RecognisedSegment | null {
  const tokens = (result.tokens ?? []).filter((t) => t.written);
  const text = tokens.length ? tokens.map((t) => t.written).join('') : (result.text ?? '');
  if (!text.trim()) return null;
  const times = tokens.filter((t) => t.starttime !== undefined && t.endtime !== undefined);
  const startMs = result.starttime ?? times[0]?.starttime ?? 0;
  const endMs = result.endtime ?? times[times.length - 1]?.endtime ?? startMs;
  const confidence =
    result.confidence ?? (tokens.length ? tokens.reduce((a, t) => a + (t.confidence ?? 0), 0) / tokens.length : 0);
  return { startMs, endMs, text, confidence: Math.round(confidence * 1000) };
}

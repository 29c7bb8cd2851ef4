import { readFile } from 'node:fs/promises';
import { signAwsRequest } from './aws-sigv4';
import { EngineRequest, optionalString, PermanentEngineError, RecognisedSegment, SpeechEngine } from './speech-engine';

export interface AwsEndpoints {
  /** Override of https://transcribe.REGION.amazonaws.com (VPC endpoints; the tests' stand-in). */
  transcribe?: string;
  /** Override of the S3 endpoint; path-style addressing is used with it. */
  s3?: string;
  pollIntervalMs?: number;
  /** Gives up on a job that stays QUEUED/IN_PROGRESS longer than this. */
  timeoutMs?: number;
}

interface TranscriptItem {
  type: 'pronunciation' | 'punctuation';
  start_time?: string;
  end_time?: string;
  alternatives: { content: string; confidence?: string }[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A pause at least this long between words ends a segment. */
const SEGMENT_GAP_MS = 700;

/**
 * Amazon Transcribe batch API: the channel's WAV goes to S3 (PutObject), StartTranscriptionJob
 * points at it, GetTranscriptionJob is polled until COMPLETED, and the transcript JSON's items
 * (words with times and confidence) become segments. JSON 1.1 protocol, SigV4-signed.
 */
export class AwsTranscribeEngine implements SpeechEngine {
  readonly name = 'aws-transcribe' as const;
  readonly languages = ['ja-JP', 'en-US'] as const;
  readonly sampleRate = 16000;
  readonly optionKeys = ['region', 'bucket', 'accessKeyId', 'secretAccessKey'] as const;
  readonly secretOptions = ['secretAccessKey'] as const;

  constructor(private readonly endpoints: AwsEndpoints = {}) {}

  async availability(): Promise<string | null> {
    return null;
  }

  validateOptions(o: Record<string, unknown>): { field: string; message: string }[] {
    const errors: { field: string; message: string }[] = [];
    for (const key of this.optionKeys) optionalString(o, key, errors, true);
    if (typeof o['region'] === 'string' && !REGION.test(o['region']))
      errors.push({ field: 'engineOptions.region', message: 'must be an AWS region such as ap-northeast-1' });
    if (typeof o['bucket'] === 'string' && !BUCKET.test(o['bucket']))
      errors.push({ field: 'engineOptions.bucket', message: 'must be an S3 bucket name' });
    return errors;
  }

  async transcribe(request: EngineRequest): Promise<RecognisedSegment[]> {
    const o = request.options as Record<string, string>;
    const problems = this.validateOptions(o);
    if (problems.length)
      throw new PermanentEngineError(
        `aws-transcribe is not configured: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      );
    const credentials = { accessKeyId: o['accessKeyId'], secretAccessKey: o['secretAccessKey'] };
    const region = o['region'];
    const key = `vnote/${request.jobName}-ch${request.channel}.wav`;
    const objectUrl = this.endpoints.s3
      ? new URL(`${this.endpoints.s3.replace(/\/$/, '')}/${o['bucket']}/${key}`)
      : new URL(`https://${o['bucket']}.s3.${region}.amazonaws.com/${key}`);
    const audio = await readFile(request.wavPath);
    const put = await this.send('PUT', objectUrl, region, 's3', { 'content-type': 'audio/wav' }, audio, credentials);
    await expectOk(put, 'S3 PutObject');
    const jobName = `vnote-${request.jobName}-ch${request.channel}-${Date.now()}`;
    await this.call('StartTranscriptionJob', region, credentials, {
      TranscriptionJobName: jobName,
      LanguageCode: request.language,
      MediaFormat: 'wav',
      MediaSampleRateHertz: this.sampleRate,
      Media: { MediaFileUri: `s3://${o['bucket']}/${key}` },
    });
    const deadline = Date.now() + (this.endpoints.timeoutMs ?? 6 * 3600_000);
    for (;;) {
      const answer = (await this.call('GetTranscriptionJob', region, credentials, {
        TranscriptionJobName: jobName,
      })) as {
        TranscriptionJob: {
          TranscriptionJobStatus: string;
          FailureReason?: string;
          Transcript?: { TranscriptFileUri?: string };
        };
      };
      const job = answer.TranscriptionJob;
      if (job.TranscriptionJobStatus === 'COMPLETED') {
        const uri = job.Transcript?.TranscriptFileUri;
        if (!uri) throw new Error('aws-transcribe: COMPLETED without Transcript.TranscriptFileUri');
        const file = await fetch(uri);
        await expectOk(file, 'transcript download');
        const transcript = (await file.json()) as { results: { items: TranscriptItem[] } };
        return segmentsOfItems(transcript.results.items);
      }
      if (job.TranscriptionJobStatus === 'FAILED')
        throw new PermanentEngineError(`aws-transcribe job failed: ${job.FailureReason ?? 'no reason given'}`);
      if (Date.now() > deadline) throw new Error(`aws-transcribe job ${jobName} did not finish in time`);
      await new Promise((r) => setTimeout(r, this.endpoints.pollIntervalMs ?? 5000));
    }
  }

  private async call(
    action: string,
    region: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
    body: unknown,
  ) {
    const url = new URL(this.endpoints.transcribe ?? `https://transcribe.${region}.amazonaws.com/`);
    const res = await this.send(
      'POST',
      url,
      region,
      'transcribe',
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Transcribe.${action}` },
      JSON.stringify(body),
      credentials,
    );
    await expectOk(res, action);
    return res.json();
  }

  private send(
    method: string,
    url: URL,
    region: string,
    service: string,
    headers: Record<string, string>,
    body: string | Buffer,
    credentials: { accessKeyId: string; secretAccessKey: string },
  ): Promise<Response> {
    const signed = signAwsRequest({ method, url, region, service, headers, body, credentials });
    delete signed['host']; // fetch sets Host itself (it was signed with the same value)
    return fetch(url, {
      method,
      headers: signed,
      body: new Uint8Array(body instanceof Buffer ? body : Buffer.from(body)),
    });
  }
}

async function expectOk(res: Response, what: string): Promise<void> {
  if (res.ok) return;
  const text = (await res.text()).slice(0, 300);
  const message = `aws-transcribe ${what} answered ${res.status}: ${text}`;
  // Refused credentials or a request AWS calls bad will be refused again: no point retrying.
  if (res.status === 400 || res.status === 401 || res.status === 403) throw new PermanentEngineError(message);
  throw new Error(message);
}

/** Words (pronunciation items) grouped at pauses; punctuation sticks to the word before it. */
export function segmentsOfItems(items: TranscriptItem[]): RecognisedSegment[] {
  const segments: RecognisedSegment[] = [];
  let words: { text: string; startMs: number; endMs: number; confidence: number }[] = [];
  const joiner = (a: string, b: string) =>
    /[\u3000-\u9fff\uff00-\uffef]$/.test(a) || /^[\u3000-\u9fff\uff00-\uffef]/.test(b) ? '' : ' ';
  const flush = () => {
    if (!words.length) return;
    segments.push({
      startMs: words[0].startMs,
      endMs: words[words.length - 1].endMs,
      text: words.reduce((acc, w) => (acc ? acc + joiner(acc, w.text) + w.text : w.text), ''),
      confidence: Math.round((1000 * words.reduce((a, w) => a + w.confidence, 0)) / words.length),
    });
    words = [];
  };
  for (const item of items) {
    const best = item.alternatives[0];
    if (!best) continue;
    if (item.type === 'punctuation') {
      if (words.length) words[words.length - 1].text += best.content;
      continue;
    }
    const startMs = Math.round(Number(item.start_time) * 1000);
    const endMs = Math.round(Number(item.end_time) * 1000);
    const last = words[words.length - 1];
    if (last && startMs - last.endMs >= SEGMENT_GAP_MS) flush();
    words.push({ text: best.content, startMs, endMs, confidence: Number(best.confidence ?? 0) });
  }
  flush();
  return segments;
}

import { createHash, createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * STAND-IN for Amazon S3 (PutObject, path-style) and Amazon Transcribe (StartTranscriptionJob,
 * GetTranscriptionJob; JSON 1.1 protocol), implementing the documented subset the adapter uses:
 * every request must carry a valid AWS Signature Version 4 (checked here from the raw request,
 * independently of the adapter's signer), jobs go IN_PROGRESS then COMPLETED, and the transcript
 * file has AWS's shape ({ jobName, results: { transcripts, items } }). Not AWS: a test double.
 */
export class AwsTranscribeStandIn {
  readonly objects = new Map<string, Buffer>();
  readonly jobs = new Map<string, { request: Record<string, unknown>; polls: number }>();
  readonly requests: { target: string; body: Record<string, unknown> }[] = [];
  private server!: Server;
  url = '';

  constructor(
    private readonly credentials: { accessKeyId: string; secretAccessKey: string; region: string },
    /** What the stand-in "hears" in an uploaded object (items in AWS's transcript shape). */
    private readonly hear: (audio: Buffer, key: string) => unknown[],
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname.startsWith('/transcripts/')) return this.transcript(url, res);
    const service = req.method === 'PUT' ? 's3' : 'transcribe';
    const problem = this.verify(req, url, body, service);
    if (problem) return json(res, 403, { __type: 'InvalidSignatureException', message: problem });
    if (req.method === 'PUT') {
      this.objects.set(url.pathname.slice(1), body);
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1')
      return json(res, 400, {
        __type: 'SerializationException',
        message: 'content-type must be application/x-amz-json-1.1',
      });
    const input = JSON.parse(body.toString()) as Record<string, unknown>;
    this.requests.push({ target, body: input });
    if (target === 'Transcribe.StartTranscriptionJob') return this.startJob(input, res);
    if (target === 'Transcribe.GetTranscriptionJob') return this.getJob(input, res);
    json(res, 400, { __type: 'UnknownOperationException', message: target });
  }

  private startJob(input: Record<string, unknown>, res: ServerResponse): void {
    const name = input['TranscriptionJobName'] as string;
    const media = (input['Media'] as { MediaFileUri?: string } | undefined)?.MediaFileUri ?? '';
    if (!name || !input['LanguageCode'] || !media)
      return json(res, 400, {
        __type: 'BadRequestException',
        message: 'TranscriptionJobName, LanguageCode and Media are required',
      });
    if (this.jobs.has(name)) return json(res, 400, { __type: 'ConflictException', message: 'job name exists' });
    const key = media.replace(/^s3:\/\//, '');
    if (!this.objects.has(key))
      return json(res, 400, { __type: 'BadRequestException', message: `no object at ${media}` });
    this.jobs.set(name, { request: input, polls: 0 });
    json(res, 200, { TranscriptionJob: { TranscriptionJobName: name, TranscriptionJobStatus: 'IN_PROGRESS' } });
  }

  private getJob(input: Record<string, unknown>, res: ServerResponse): void {
    const name = input['TranscriptionJobName'] as string;
    const job = this.jobs.get(name);
    if (!job) return json(res, 400, { __type: 'BadRequestException', message: "The requested job couldn't be found." });
    job.polls += 1;
    const done = job.polls > 1;
    json(res, 200, {
      TranscriptionJob: {
        TranscriptionJobName: name,
        TranscriptionJobStatus: done ? 'COMPLETED' : 'IN_PROGRESS',
        LanguageCode: job.request['LanguageCode'],
        ...(done
          ? { Transcript: { TranscriptFileUri: `${this.url}/transcripts/${name}.json?X-Amz-Signature=presigned` } }
          : {}),
      },
    });
  }

  private transcript(url: URL, res: ServerResponse): void {
    const name = url.pathname.replace('/transcripts/', '').replace(/\.json$/, '');
    const job = this.jobs.get(name);
    if (!job) return json(res, 404, { message: 'no such transcript' });
    const key = (job.request['Media'] as { MediaFileUri: string }).MediaFileUri.replace(/^s3:\/\//, '');
    const items = this.hear(this.objects.get(key) as Buffer, key);
    json(res, 200, {
      jobName: name,
      accountId: '123456789012',
      results: { transcripts: [{ transcript: '' }], items },
      status: 'COMPLETED',
    });
  }

  /** SigV4 header form: recompute the signature from the raw request and compare. */
  private verify(req: IncomingMessage, url: URL, body: Buffer, service: string): string | null {
    const auth = String(req.headers['authorization'] ?? '');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return 'missing or malformed Authorization header';
    const [, keyId, day, region, svc, signed, signature] = m;
    if (keyId !== this.credentials.accessKeyId) return 'The security token included in the request is invalid.';
    if (region !== this.credentials.region || svc !== service)
      return `credential scope must be ${this.credentials.region}/${service}`;
    const payloadHash = createHash('sha256').update(body).digest('hex');
    if (req.headers['x-amz-content-sha256'] !== payloadHash) return 'x-amz-content-sha256 does not match the body';
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
    const names = signed.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
    const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join('');
    const query = [...url.searchParams.entries()]
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .sort()
      .join('&');
    const canonical = [req.method, url.pathname, query, canonicalHeaders, signed, payloadHash].join('\n');
    const scope = `${day}/${region}/${service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    let key: Buffer = createHmac('sha256', `AWS4${this.credentials.secretAccessKey}`).update(day).digest();
    for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    const expected = createHmac('sha256', key).update(toSign).digest('hex');
    return expected === signature
      ? null
      : 'The request signature we calculated does not match the signature you provided.';
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}

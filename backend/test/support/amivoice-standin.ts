import busboy from 'busboy';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * STAND-IN for the AmiVoice Cloud Platform synchronous HTTP API (POST /v1/recognize and
 * /v1/nolog/recognize), implementing the documented subset the adapter uses: multipart/form-data
 * with `u` (APPKEY), `d` (grammar file names / profile words), optional `c` (audio format) and
 * `a` (audio) as the last part; answers { results: [{ tokens: [{ written, confidence, starttime,
 * endtime, spoken }], confidence, starttime, endtime, text }], text, code, message, utteranceid }
 * with code "" on success and a one-character code with a message on failure. Not AmiVoice.
 */
export class AmivoiceStandIn {
  readonly requests: { path: string; fields: Record<string, string>; audioBytes: number; order: string[] }[] = [];
  private server!: Server;
  url = '';

  constructor(
    private readonly appKey: string,
    private readonly hear: (
      audio: Buffer,
    ) => { tokens: { written: string; starttime: number; endtime: number; confidence: number }[] }[],
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (req.method !== 'POST' || !['/v1/recognize', '/v1/nolog/recognize'].includes(path)) {
      res.writeHead(404).end();
      return;
    }
    const fields: Record<string, string> = {};
    const order: string[] = [];
    const audio: Buffer[] = [];
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      order.push(name);
      fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      order.push(name);
      stream.on('data', (b: Buffer) => name === 'a' && audio.push(b));
    });
    parser.on('close', () => {
      const a = Buffer.concat(audio);
      this.requests.push({ path, fields, audioBytes: a.length, order });
      const reply = (body: Record<string, unknown>) =>
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
      if (fields['u'] !== this.appKey)
        return reply({
          results: [{ tokens: [], text: '' }],
          text: '',
          code: '-',
          message: 'received illegal service authorization',
        });
      if (!fields['d'])
        return reply({
          results: [{ tokens: [], text: '' }],
          text: '',
          code: '-',
          message: 'received illegal grammar file names',
        });
      if (!a.length || order[order.length - 1] !== 'a')
        return reply({
          results: [{ tokens: [], text: '' }],
          text: '',
          code: '!',
          message: 'failed to read audio (a must be the last part)',
        });
      const results = this.hear(a).map((r) => ({
        tokens: r.tokens.map((t) => ({ ...t, spoken: t.written })),
        confidence: r.tokens.reduce((s, t) => s + t.confidence, 0) / Math.max(1, r.tokens.length),
        starttime: r.tokens[0]?.starttime ?? 0,
        endtime: r.tokens[r.tokens.length - 1]?.endtime ?? 0,
        tags: [],
        rulename: '',
        text: r.tokens.map((t) => t.written).join(''),
      }));
      reply({
        results,
        utteranceid: '20261124/ja_ja-amivoice-standin@0001',
        text: results.map((r) => r.text).join(''),
        code: '',
        message: '',
      });
    });
    req.pipe(parser);
  }
}

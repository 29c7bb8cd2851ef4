import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

// A stand-in for the backend's side of the capture box, behaving like it where the box cares:
// - POST /api/v1/ingest/calls parses the multipart body, checks the sha256, stores each
//   clientRecordingId once and answers a re-send with the first result (duplicate: true);
//   each request can be told to fail first (`script`);
// - POST /api/v1/flexlog/heartbeat and GET /api/v1/flexlog/config;
// - the call-event WebSocket at /api/v1/flexlog/events: hello with lastSeq, one ack per event.

export type Behaviour =
  /** 503 before reading anything useful. */
  | 'unavailable'
  /** Stores the call, then drops the connection: the answer is lost. */
  | 'storeThenDrop'
  | 'badRequest'
  | 'capacityFull'
  | 'unauthorized';

export interface StoredCall {
  metadata: Record<string, unknown>;
  audio: Buffer;
  callId: string;
}

export class FakeBackend {
  private server: Server | null = null;
  /** Behaviours for the next requests, in order; then every request is handled normally. */
  readonly script: Behaviour[] = [];
  readonly stored = new Map<string, StoredCall>();
  readonly requests: { at: number; clientRecordingId: string | null; status: number }[] = [];
  readonly heartbeats: { at: number; body: Record<string, unknown> }[] = [];
  readonly events: { at: number; event: Record<string, unknown>; duplicate: boolean }[] = [];
  /** What GET /api/v1/flexlog/config answers (its updatedAt is echoed by heartbeats). */
  siteConfig: Record<string, unknown> = {
    siteId: 'site-1',
    name: '東京本社',
    internalNetworks: [],
    extensionPatterns: [],
    extensionPattern: null,
    lines: [],
    heartbeatIntervalSeconds: 10,
    updatedAt: '2025-03-01T00:00:00.000Z',
  };
  lastEventSeq = 0;
  configFetches = 0;
  port = 0;
  private readonly sockets = new WebSocketServer({ noServer: true });

  constructor(readonly apiKey = 'ak_fakesite_secret') {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const client of this.sockets.clients) client.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Drops every event connection (the box must reconnect and replay). */
  dropEventConnections(): void {
    for (const client of this.sockets.clients) client.terminate();
  }

  get eventConnections(): number {
    return this.sockets.clients.size;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (req.url !== '/api/v1/flexlog/events' || req.headers.authorization !== `Bearer ${this.apiKey}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ type: 'hello', siteId: 'site-1', lastSeq: this.lastEventSeq }));
      ws.on('message', (data) => {
        const event = JSON.parse(data.toString()) as Record<string, unknown>;
        const seq = Number(event.seq);
        const duplicate = seq <= this.lastEventSeq;
        if (!duplicate) this.lastEventSeq = seq;
        this.events.push({ at: Date.now(), event, duplicate });
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ack', seq, duplicate }));
      });
    });
  }

  private answer(res: ServerResponse, status: number, body: unknown, clientRecordingId: string | null): void {
    this.requests.push({ at: Date.now(), clientRecordingId, status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      req.resume();
      return this.answer(res, 401, { statusCode: 401, message: 'bad key' }, null);
    }
    if (req.method === 'POST' && req.url === '/api/v1/flexlog/heartbeat') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.heartbeats.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ siteId: 'site-1', configUpdatedAt: this.siteConfig.updatedAt }));
      return;
    }
    if (req.method === 'GET' && req.url === '/api/v1/flexlog/config') {
      this.configFetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.siteConfig));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/v1/ingest/calls') {
      req.resume();
      return this.answer(res, 404, {}, null);
    }
    const behaviour = this.script.shift();
    const { metadata, audio } = await parseMultipart(req);
    const id = typeof metadata.clientRecordingId === 'string' ? metadata.clientRecordingId : null;
    if (behaviour === 'unavailable') return this.answer(res, 503, { statusCode: 503, message: 'down' }, id);
    if (behaviour === 'unauthorized') return this.answer(res, 401, { statusCode: 401, message: 'revoked' }, id);
    if (behaviour === 'badRequest') {
      return this.answer(
        res,
        400,
        { statusCode: 400, message: 'bad metadata', errors: [{ field: 'metadata.direction', message: 'nope' }] },
        id,
      );
    }
    if (behaviour === 'capacityFull') return this.answer(res, 507, { statusCode: 507, message: 'full' }, id);
    if (!id || createHash('sha256').update(audio).digest('hex') !== metadata.sha256) {
      return this.answer(res, 422, { statusCode: 422, message: 'sha256 mismatch' }, id);
    }
    const existing = this.stored.get(id);
    if (existing) {
      return this.answer(
        res,
        200,
        { callId: existing.callId, recordingId: `r-${existing.callId}`, duplicate: true },
        id,
      );
    }
    const call = { metadata, audio, callId: randomUUID() };
    this.stored.set(id, call);
    if (behaviour === 'storeThenDrop') {
      this.requests.push({ at: Date.now(), clientRecordingId: id, status: 0 });
      res.socket?.destroy();
      return;
    }
    this.answer(
      res,
      201,
      { callId: call.callId, recordingId: `r-${call.callId}`, durationMs: 0, bytes: audio.length, duplicate: false },
      id,
    );
  }
}

/**
 * The two parts of an ingest upload. A plain split on the boundary: enough for a test server
 * (the backend itself uses busboy), and it keeps the capture's runtime dependencies to what it uses.
 */
async function parseMultipart(req: IncomingMessage): Promise<{ metadata: Record<string, unknown>; audio: Buffer }> {
  const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1];
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  let metadata: Record<string, unknown> = {};
  let audio = Buffer.alloc(0);
  if (!boundary) return { metadata, audio };
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(`--${boundary}\r\n`);
  while (at >= 0) {
    const headersEnd = body.indexOf('\r\n\r\n', at);
    const end = body.indexOf(delimiter, headersEnd);
    if (headersEnd < 0 || end < 0) break;
    const headers = body.subarray(at, headersEnd).toString();
    const content = body.subarray(headersEnd + 4, end);
    if (/name="metadata"/.test(headers)) metadata = JSON.parse(content.toString()) as Record<string, unknown>;
    if (/name="audio"/.test(headers)) audio = Buffer.from(content);
    at = end + 2;
  }
  return { metadata, audio };
}

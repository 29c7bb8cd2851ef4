import { BadRequestException, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DataSource } from 'typeorm';
import WebSocket, { RawData, WebSocketServer } from 'ws';
import { createValidationPipe } from '../../../bootstrap/validation';
import { ApiKey } from '../../../core/auth/api-key.entity';
import { ApiKeysService } from '../../../core/auth/api-keys.service';
import { FieldProblem } from '../../../platform/http/field-errors';
import { upgradePathClaimed } from '../../../platform/http/upgrade-paths';
import { FlexlogSite } from '../sites/site.entity';
import { CallEventDto } from './call-event.dto';
import { CallEventIntake, EventSite } from './call-event-intake';

export const EVENTS_PATH = '/api/v1/flexlog/events';
/** Ping this often; a connection that did not answer the previous ping is dropped. */
const PING_EVERY_MS = 30_000;
/** Events queued on one connection before it is closed (the capture reconnects and replays). */
const MAX_PENDING = 1_000;

interface Connection {
  socket: WebSocket;
  keyId: string;
  site: EventSite;
  alive: boolean;
  pending: number;
  chain: Promise<void>;
}

/** Server messages: `hello` on connect, then one `ack` or `rejected` per event, in order. */
type ServerMessage =
  | { type: 'hello'; siteId: string; lastSeq: number }
  | { type: 'ack'; seq: number; duplicate: boolean }
  | { type: 'rejected'; seq?: number; errors: FieldProblem[] };

/**
 * The capture's call-event stream: a WebSocket at /api/v1/flexlog/events, authenticated by the site's
 * API key (Authorization: Bearer, or `?key=` for clients that cannot set headers) before the upgrade.
 * Events of one connection are handled strictly in order; each is answered by its seq, so the
 * capture can drop what was acked and replay the rest, in order, after a reconnect.
 */
@Injectable()
export class CallEventsGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallEventsGateway.name);
  private readonly validation = createValidationPipe();
  private readonly connections = new Set<Connection>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly apiKeys: ApiKeysService,
    private readonly intake: CallEventIntake,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    // The worker process has no HTTP server: events go to the API processes only.
    this.server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!this.server) return;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.server.on('upgrade', this.onUpgrade);
    this.pinger = setInterval(() => void this.sweepConnections(), PING_EVERY_MS);
    this.pinger.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pinger);
    this.server?.off('upgrade', this.onUpgrade);
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
    await Promise.all([...this.connections].map((c) => c.chain));
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node drops its own error listener from an upgrading socket: a client resetting the connection
    // while its key is checked would otherwise be an unhandled 'error' that ends the process.
    socket.on('error', ignoreSocketError);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== EVENTS_PATH) {
      // Another upgrade handler may own the path; with none, answer rather than leave the socket hanging.
      if (!upgradePathClaimed(url.pathname)) refuse(socket, 404, 'not found');
      return;
    }
    void this.admit(req, url, socket, head).catch((error: Error) => {
      this.logger.warn(`event stream refused: ${error.message}`);
      refuse(socket, 500, 'internal error');
    });
  };

  private async admit(req: IncomingMessage, url: URL, socket: Duplex, head: Buffer): Promise<void> {
    const header = req.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('key');
    if (!presented) return refuse(socket, 401, 'send the site API key: Authorization: Bearer <key>');
    let key: ApiKey;
    try {
      key = await this.apiKeys.authenticate(presented);
    } catch {
      return refuse(socket, 401, 'invalid API key');
    }
    if (!key.siteId) return refuse(socket, 403, 'this API key is not bound to a site');
    const site = await this.dataSource
      .getRepository(FlexlogSite)
      .findOne({ where: { id: key.siteId, tenantId: key.tenantId }, select: { id: true, tenantId: true, name: true } });
    const lastSeq = site ? await this.intake.lastSeq(site) : null;
    if (!site || lastSeq === null) return refuse(socket, 404, 'site not found');
    socket.off('error', ignoreSocketError); // ws listens from here on
    this.wss?.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        socket: ws,
        keyId: key.id,
        site,
        alive: true,
        pending: 0,
        chain: Promise.resolve(),
      };
      this.connections.add(connection);
      ws.on('pong', () => (connection.alive = true));
      ws.on('close', () => this.connections.delete(connection));
      ws.on('error', (error) => this.logger.warn(`event stream of site ${site.id}: ${error.message}`));
      ws.on('message', (data, isBinary) => this.enqueue(connection, data, isBinary, process.hrtime.bigint()));
      send(ws, { type: 'hello', siteId: site.id, lastSeq });
    });
  }

  private enqueue(c: Connection, data: RawData, isBinary: boolean, receivedAt: bigint): void {
    if (++c.pending > MAX_PENDING) {
      c.socket.close(1013, 'too many unacknowledged events; reconnect and replay');
      return;
    }
    c.chain = c.chain
      .then(() => this.handle(c, data, isBinary, receivedAt))
      .catch((error: Error) => {
        this.logger.error(`event of site ${c.site.id} not handled: ${error.message}`);
        c.socket.close(1011, 'internal error; reconnect and replay');
      })
      .finally(() => (c.pending -= 1));
  }

  private async handle(c: Connection, data: RawData, isBinary: boolean, receivedAt: bigint): Promise<void> {
    if (c.socket.readyState !== WebSocket.OPEN) return;
    const message = parse(data, isBinary);
    if ('problem' in message) return send(c.socket, { type: 'rejected', errors: [message.problem] });
    const seq = typeof message.json.seq === 'number' ? message.json.seq : undefined;
    let event: CallEventDto;
    try {
      event = await this.validation.transform(message.json, { type: 'body', metatype: CallEventDto });
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const errors = (error.getResponse() as { errors?: FieldProblem[] }).errors ?? [];
      return send(c.socket, { type: 'rejected', ...(seq === undefined ? {} : { seq }), errors });
    }
    const outcome = await this.intake.accept(c.site, event, receivedAt);
    if (outcome === 'site-gone') return c.socket.close(1008, 'site deleted');
    send(c.socket, { type: 'ack', seq: event.seq, duplicate: outcome === 'duplicate' });
  }

  /** Every 30 s: drops connections that stopped answering, and those whose key was revoked (or site deleted). */
  async sweepConnections(): Promise<void> {
    const keys = this.dataSource.getRepository(ApiKey);
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
      if (!(await keys.exists({ where: { id: c.keyId } }).catch(() => true))) c.socket.close(1008, 'API key revoked');
    }
  }
}

function ignoreSocketError(): void {
  // the socket is closed by the error; nothing waits for it
}

function parse(data: RawData, isBinary: boolean): { json: Record<string, unknown> } | { problem: FieldProblem } {
  if (isBinary) return { problem: { field: 'message', message: 'send each event as a JSON text message' } };
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object' && !Array.isArray(json)) return { json: json as Record<string, unknown> };
    return { problem: { field: 'message', message: 'must be a JSON object (one event)' } };
  } catch (error) {
    return { problem: { field: 'message', message: `malformed JSON: ${(error as Error).message}` } };
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

/** An HTTP answer on the raw socket, before any upgrade: the client sees an ordinary 401/403/404. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ statusCode: status, message });
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

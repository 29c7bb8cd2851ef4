import { promises as fs } from 'node:fs';
import WebSocket from 'ws';
import type { CallProgress } from '../calls/call-assembler';
import { isoFromMicros } from '../calls/call-record';
import { writeFileDurably } from '../spool/durable-files';
import type { SpoolLogger } from '../spool/spool-store';
import type { BackendClient } from './backend-client';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import { extensionOf, lineNameOf, type SiteLine } from './site-party';

// Real-time call events (ringing, answered, ended) for 応対力, over the WebSocket of
// docs/api-contract-core.md ("Call events"): each event gets a seq that only ever grows for the
// site (kept across restarts), is sent at once when connected, and stays buffered until the
// server acknowledges it; after a reconnect everything unacknowledged is sent again, in order.

export const EVENTS_PATH = '/api/v1/flexlog/events';

export interface CallEventMessage {
  seq: number;
  type: CallProgress['kind'];
  callId: string;
  at: string;
  caller: string;
  callee: string;
  callerName?: string;
  extension?: string;
  direction: 'inbound' | 'outbound' | 'internal' | 'unknown';
  lineName?: string;
}

type ServerMessage =
  | { type: 'hello'; siteId: string; lastSeq: number }
  | { type: 'ack'; seq: number; duplicate: boolean }
  | { type: 'rejected'; seq?: number; errors: unknown[] };

const RESERVE_BLOCK = 1000;

/**
 * The site's event counter. Writing it durably for every event would cost a fsync per event, so
 * blocks of seqs are reserved on disk ahead of use: after a restart counting resumes past the
 * reserved block (a gap is harmless; going back is not).
 */
export class EventSequence {
  private next = 1;
  private reservedUpTo = 0;
  private reserving: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async load(): Promise<void> {
    const saved = await fs
      .readFile(this.path, 'utf8')
      .then((text) => Number((JSON.parse(text) as { reservedUpTo?: unknown }).reservedUpTo))
      .catch(() => 0);
    this.next = Number.isSafeInteger(saved) && saved > 0 ? saved + 1 : 1;
    await this.reserve(this.next + RESERVE_BLOCK);
  }

  private reserve(upTo: number): Promise<void> {
    this.reservedUpTo = Math.max(this.reservedUpTo, upTo);
    const value = this.reservedUpTo;
    this.reserving = this.reserving.then(() =>
      writeFileDurably(this.path, `${JSON.stringify({ reservedUpTo: value })}\n`),
    );
    return this.reserving.catch(() => undefined);
  }

  take(): number {
    const seq = this.next++;
    if (this.reservedUpTo - seq < RESERVE_BLOCK / 2) void this.reserve(seq + RESERVE_BLOCK);
    return seq;
  }

  /** The server has seen seqs up to `lastSeq` (this box lost its counter): continue after them. */
  continueAfter(lastSeq: number): void {
    if (lastSeq >= this.next) {
      this.next = lastSeq + 1;
      void this.reserve(this.next + RESERVE_BLOCK);
    }
  }

  get upcoming(): number {
    return this.next;
  }
}

export interface CallEventsOptions {
  /** Events kept while disconnected; beyond it the oldest go (they are stale by then anyway). */
  maxBuffered?: number;
  /** Events sent and not yet acknowledged on one connection (the server closes above 1,000). */
  maxInFlight?: number;
  reconnect?: BackoffPolicy;
  /** A connection with no message or ping for this long is taken as dead. */
  silenceMs?: number;
  log?: SpoolLogger;
}

export class CallEventsClient {
  private pending: CallEventMessage[] = [];
  private inFlight = 0;
  private socket: WebSocket | null = null;
  private ready = false;
  private stopped = true;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private readonly options: Required<Omit<CallEventsOptions, 'log'>>;
  private readonly log: SpoolLogger;
  lines: SiteLine[] = [];
  readonly stats = { published: 0, acknowledged: 0, duplicates: 0, rejected: 0, droppedOldest: 0, connections: 0 };

  constructor(
    private readonly backend: BackendClient,
    private readonly sequence: EventSequence,
    options: CallEventsOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
    this.options = {
      maxBuffered: options.maxBuffered ?? 10_000,
      maxInFlight: options.maxInFlight ?? 500,
      reconnect: options.reconnect ?? { firstMs: 1000, maxMs: 30_000 },
      silenceMs: options.silenceMs ?? 75_000,
    };
  }

  get connected(): boolean {
    return this.ready;
  }

  get buffered(): number {
    return this.pending.length;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.socket?.close(1001, 'capture stopping');
    this.socket?.terminate();
    this.socket = null;
    this.ready = false;
  }

  /** Called from the packet path: builds the event, numbers it and sends it if connected. */
  publish(progress: CallProgress): void {
    const record = progress.record;
    const extension = extensionOf(record);
    const lineName = lineNameOf(record, this.lines);
    const event: CallEventMessage = {
      seq: this.sequence.take(),
      type: progress.kind,
      callId: record.callId.slice(0, 256),
      at: isoFromMicros(progress.ts),
      caller: record.from.number.slice(0, 64),
      callee: record.to.number.slice(0, 64),
      ...(record.from.name ? { callerName: record.from.name.slice(0, 100) } : {}),
      ...(extension ? { extension } : {}),
      direction: record.direction,
      ...(lineName ? { lineName } : {}),
    };
    this.stats.published++;
    this.pending.push(event);
    if (this.pending.length > this.options.maxBuffered) {
      // The oldest not yet sent on this connection: sent ones are settled by their acks.
      const [dropped] = this.pending.splice(this.ready ? this.inFlight : 0, 1);
      this.stats.droppedOldest++;
      if (this.stats.droppedOldest === 1 || this.stats.droppedOldest % 1000 === 0) {
        this.log('warn', 'call events buffer full while disconnected: oldest events dropped', {
          dropped: this.stats.droppedOldest,
          seq: dropped.seq,
        });
      }
    }
    this.pump();
  }

  private url(): URL {
    const url = this.backend.url(EVENTS_PATH);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url;
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.url(), {
      headers: this.backend.authHeaders(),
      ca: this.backend.endpoint.ca,
      handshakeTimeout: 15_000,
    });
    this.socket = socket;
    socket.on('message', (data) => this.onMessage(socket, data.toString()));
    socket.on('ping', () => this.heard());
    socket.on('unexpected-response', (_request, response) => {
      this.log('warn', 'call events connection refused', { status: response.statusCode });
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (this.failures === 0) this.log('warn', 'call events connection failed', { error: error.message });
    });
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
    this.heard();
  }

  /** Anything from the server proves the connection alive. */
  private heard(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.silenceTimer = setTimeout(() => socket?.terminate(), this.options.silenceMs);
    this.silenceTimer.unref();
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.ready = false;
    this.inFlight = 0;
    if (this.stopped) return;
    this.failures++;
    const delay = backoffDelayMs(this.failures, this.options.reconnect);
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.log('warn', 'call events disconnected; reconnecting', {
        code,
        reason,
        retryInMs: delay,
        buffered: this.pending.length,
      });
    }
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private onMessage(socket: WebSocket, text: string): void {
    if (socket !== this.socket) return;
    this.heard();
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'hello') {
      this.continueAfter(message.lastSeq);
      this.ready = true;
      this.inFlight = 0;
      if (this.failures > 0) this.log('info', 'call events reconnected', { replaying: this.pending.length });
      this.failures = 0;
      this.stats.connections++;
    } else if (message.type === 'ack') {
      if (message.duplicate) this.stats.duplicates++;
      this.settle(message.seq);
      this.stats.acknowledged++;
    } else if (message.type === 'rejected') {
      this.stats.rejected++;
      this.log('warn', 'the backend rejected a call event', { seq: message.seq, errors: message.errors });
      this.settle(message.seq ?? this.pending[0]?.seq);
    }
    this.pump();
  }

  /**
   * The server has accepted seqs this box never handed out: its counter was lost (a new spool).
   * Unacknowledged events would then be taken as replays and dropped, so they are renumbered after
   * the server's. (After an ordinary reconnect the server's lastSeq is always below the counter,
   * and resent events keep their numbers: those it already has are acked as duplicates.)
   */
  private continueAfter(lastSeq: number): void {
    if (lastSeq < this.sequence.upcoming) return;
    this.sequence.continueAfter(lastSeq);
    for (const event of this.pending) event.seq = this.sequence.take();
    this.log('warn', 'the event counter was behind the backend (spool reset?): continuing after it', { lastSeq });
  }

  /** Answers come in order: everything up to `seq` is settled. */
  private settle(seq: number | undefined): void {
    if (seq === undefined) return;
    while (this.pending.length > 0 && this.pending[0].seq <= seq) {
      this.pending.shift();
      if (this.inFlight > 0) this.inFlight--;
    }
  }

  private pump(): void {
    const socket = this.socket;
    if (!this.ready || !socket || socket.readyState !== WebSocket.OPEN) return;
    while (this.inFlight < this.options.maxInFlight && this.inFlight < this.pending.length) {
      socket.send(JSON.stringify(this.pending[this.inFlight]));
      this.inFlight++;
    }
  }
}

import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { HttpClient } from './http-client';
import { loginAs } from './store-probes';
import { completeSetup, TestApp } from './test-app';
import { MailService } from '../../src/platform/mail/mail.service';

// What the FlexLog tests share: a hosted instance with two customer tenants and every role, sites
// with keys, a capture's heartbeat, a real webhook receiver, and clients for the two live streams.

export const B_ADMIN = { email: 'admin@beta.example.jp', displayName: 'B 管理者', password: 'Tenant-Adm1n!' };

export interface Tenants {
  admin: HttpClient;
  supervisor: HttpClient;
  auditor: HttpClient;
  operator: HttpClient;
  other: HttpClient;
  tenantId: string;
  otherTenantId: string;
}

/**
 * The setup wizard in multi mode, mail sent to the SMTP server on `smtpPort` when given, then
 * tenant A's users of every role and a second tenant B (FlexLog unless told) with its own admin.
 */
export async function setupTenants(
  t: TestApp,
  smtpPort?: number,
  betaProducts: string[] = ['flexlog'],
): Promise<Tenants> {
  const admin = await completeSetup(t, 'multi');
  if (smtpPort) {
    t.app.get(MailService).configure({ host: '127.0.0.1', port: smtpPort, secure: false, from: 'recorder@example.jp' });
  }
  const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
  const created = await admin.post('/api/v1/tenants', { name: 'Beta', products: betaProducts, admin: B_ADMIN });
  const other = t.client();
  await other.post('/api/v1/auth/login', { email: B_ADMIN.email, password: B_ADMIN.password });
  return {
    admin,
    supervisor: await loginAs(t, admin, 'super@example.jp', ['supervisor']),
    auditor: await loginAs(t, admin, 'audit@example.jp', ['auditor']),
    operator: await loginAs(t, admin, 'op@example.jp', ['operator']),
    other,
    tenantId,
    otherTenantId: created.body.tenant.id,
  };
}

/** A site made through the API, with one API key of its own. */
export async function siteWithKey(admin: HttpClient, site: Record<string, unknown>) {
  const created = await admin.post('/api/v1/flexlog/sites', site);
  if (created.status !== 201) throw new Error(`site: ${created.status} ${created.text}`);
  const key = await admin.post(`/api/v1/flexlog/sites/${created.body.id}/api-keys`, { name: `${site['name']} box` });
  if (key.status !== 201) throw new Error(`key: ${key.status} ${key.text}`);
  return { site: created.body, key: key.body.key as string, keyId: key.body.id as string };
}

export const heartbeat = (over: Record<string, unknown> = {}) => ({
  packetsPerSecond: 4200.5,
  kernelDrops: 0,
  interfaceDrops: 0,
  activeCalls: 3,
  spoolBytes: 10_000_000,
  spoolCapacityBytes: 1_000_000_000,
  lastUploadAt: new Date(Date.now() - 60_000).toISOString(),
  version: '1.0.0',
  uptimeSeconds: 3600,
  ...over,
});

export const postHeartbeat = (t: TestApp, key: string, body: unknown) =>
  t.client({ authorization: `Bearer ${key}` }).post('/api/v1/flexlog/heartbeat', body);

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver on loopback: records every request, answers `status` (changeable). */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  const state = { status: 204 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flexlog`,
    received,
    state,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Items arriving over time, and a wait for the first one (not handed out before) that matches. */
function arrivals<T>(what: string) {
  const items: T[] = [];
  const taken = new Set<T>();
  const waiters = new Set<() => void>();
  return {
    items,
    add(item: T) {
      items.push(item);
      for (const wake of waiters) wake();
    },
    /** `once`: each item is handed out to one wait only, in arrival order. */
    next(match: (item: T) => boolean, timeoutMs = 10_000, once = true): Promise<T> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = items.find((i) => !taken.has(i) && match(i));
          if (found === undefined) return;
          if (once) taken.add(found);
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${what} in ${timeoutMs} ms; got ${JSON.stringify(items)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** The capture's side of the event stream: every message it got, and a way to wait for one. */
export interface EventClient {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  next(match: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(event: unknown): void;
  close(): Promise<void>;
}

type StreamAuth = { header?: string; query?: string; path?: string };

export async function connectEvents(t: TestApp, auth: StreamAuth): Promise<EventClient> {
  const path = auth.path ?? '/api/v1/flexlog/events';
  const url = `${t.baseUrl.replace('http', 'ws')}${path}${auth.query ? `?key=${auth.query}` : ''}`;
  const socket = new WebSocket(url, { headers: auth.header ? { authorization: `Bearer ${auth.header}` } : {} });
  const messages = arrivals<Record<string, unknown>>('message');
  socket.on('message', (data) => messages.add(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    messages: messages.items,
    next: (match, timeoutMs) => messages.next(match, timeoutMs),
    send: (event) => socket.send(typeof event === 'string' ? event : JSON.stringify(event)),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

/** The status code the server answers a WebSocket upgrade with when it refuses it. */
export async function refusedUpgrade(t: TestApp, auth: StreamAuth): Promise<string> {
  try {
    const client = await connectEvents(t, auth);
    await client.close();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
  /** performance.now() when it arrived. */
  at: number;
}

/** A browser's EventSource, reduced: parses the SSE stream of a logged-in session into events. */
export async function openLiveCalls(t: TestApp, session: HttpClient) {
  const controller = new AbortController();
  const res = await fetch(`${t.baseUrl}/api/v1/flexlog/live-calls`, {
    headers: { cookie: `access_token=${session.cookie('access_token')}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events = arrivals<LiveEvent>('live-calls event');
  let ended: Promise<void> = Promise.resolve();
  if (res.ok && res.body) {
    ended = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data === undefined) continue;
            events.add({ type, data: JSON.parse(data), at: performance.now() });
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    events: events.items,
    /** Settles when the server ends the stream (or close() aborts it). */
    ended,
    waitFor: (match: (e: LiveEvent) => boolean, timeoutMs?: number) => events.next(match, timeoutMs, false),
    close: () => controller.abort(),
  };
}

import { io, Socket } from 'socket.io-client';
import { connectEvents, EventClient, setupTenants, siteWithKey, Tenants } from './flexlog-fixtures';
import type { HttpClient } from './http-client';
import { startTestApp, TestApp } from './test-app';
import type { TestDatabase } from './test-databases';

/** One event a popup socket received, in arrival order. */
export interface SocketArrival {
  event: string;
  payload: Record<string, unknown>;
}

/** A browser's popup connection, reduced: every event it got, and a wait for the next matching one. */
export interface PopupClient {
  socket: Socket;
  arrivals: SocketArrival[];
  next(event: string, match?: (payload: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): void;
}

/** Connects like the app does: Socket.IO at /socket.io with the session's access cookie. */
export async function connectPopup(
  t: TestApp,
  session: HttpClient | null,
  options: { origin?: string } = {},
): Promise<PopupClient> {
  const token = session?.cookie('access_token');
  const headers: Record<string, string> = token ? { cookie: `access_token=${token}` } : {};
  if (options.origin) headers['origin'] = options.origin;
  const socket = io(t.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: headers,
  });
  const arrivals: SocketArrival[] = [];
  const taken = new Set<SocketArrival>();
  const waiters = new Set<() => void>();
  socket.onAny((event: string, payload: Record<string, unknown>) => {
    arrivals.push({ event, payload });
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    arrivals,
    next: (event, match = () => true) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = arrivals.find((a) => !taken.has(a) && a.event === event && match(a.payload));
          if (!found) return;
          taken.add(found);
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found.payload);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} within 10 s; got ${JSON.stringify(arrivals)}`));
        }, 10_000);
        waiters.add(check);
        check();
      }),
    close: () => socket.disconnect(),
  };
}

/** Why the server refused a socket, or 'connected'. */
export async function refusedSocket(
  t: TestApp,
  session: HttpClient | null,
  options: { origin?: string } = {},
): Promise<string> {
  try {
    (await connectPopup(t, session, options)).close();
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

/** The SIP Call-IDs of the popups a client was sent, in order (resumed ones included). */
export const ringingCallIds = (client: PopupClient) =>
  client.arrivals.filter((a) => a.event === 'popup:ringing').map((a) => a.payload['sipCallId']);

/**
 * Feeds call events through a capture's event stream as the box does (seq counting up from 1, `at`
 * now) and waits for each ack. An inbound call from 03-1234-5678 ringing extension 201 on 東京店 unless
 * `over` says otherwise.
 */
export function eventFeeder(capture: EventClient) {
  let seq = 0;
  return async (type: string, callId: string, over: Record<string, unknown> = {}) => {
    const event = {
      seq: ++seq,
      type,
      callId,
      at: new Date().toISOString(),
      caller: '03-1234-5678',
      callee: '0312340000',
      extension: '201',
      direction: 'inbound',
      lineName: '東京店',
      ...over,
    };
    capture.send(event);
    await capture.next((m) => m['type'] === 'ack' && m['seq'] === event.seq);
    return event;
  };
}

/** A site's capture event stream, past its hello, with a feeder for call events. */
export interface CaptureFeed {
  capture: EventClient;
  feed: ReturnType<typeof eventFeeder>;
}

export async function openCaptureFeed(t: TestApp, siteKey: string): Promise<CaptureFeed> {
  const capture = await connectEvents(t, { header: siteKey });
  await capture.next((m) => m['type'] === 'hello');
  return { capture, feed: eventFeeder(capture) };
}

export const OPERATOR_PASSWORD = 'Us3r-Passw0rd!';

/** Creates an operator with these extensions (by the tenant's admin) and signs them in. */
export async function signedInOperator(
  t: TestApp,
  admin: HttpClient,
  email: string,
  displayName: string,
  extensions: string[],
): Promise<{ id: string; session: HttpClient }> {
  const created = await admin.post('/api/v1/users', {
    email,
    displayName,
    roles: ['operator'],
    password: OPERATOR_PASSWORD,
    extensions,
  });
  if (created.status !== 201) throw new Error(`user: ${created.status} ${created.text}`);
  const session = t.client();
  await session.post('/api/v1/auth/login', { email, password: OPERATOR_PASSWORD });
  return { id: created.body.user?.id ?? created.body.id, session };
}

/**
 * The desk the popup connector tests ring: a started app with Flexlog + OOTAIRYOKU tenants, a 東京本社
 * site whose 東京店 line is 0312340000, operator 佐藤 on extension 201 signed in with a popup open, and
 * that site's capture feed. `close()` shuts them in reverse.
 */
export interface PopupDesk extends CaptureFeed {
  t: TestApp;
  u: Tenants;
  sato: HttpClient;
  popup: PopupClient;
  close(): Promise<void>;
}

export async function openPopupDesk(db: TestDatabase): Promise<PopupDesk> {
  const t = await startTestApp(db);
  let popup: PopupClient | undefined;
  let feed: CaptureFeed | undefined;
  const close = async () => {
    popup?.close();
    await feed?.capture.close();
    await t.close();
  };
  try {
    const u = await setupTenants(t, undefined, ['flexlog', 'ootairyoku']);
    const site = await siteWithKey(u.admin, { name: '東京本社', lines: [{ name: '東京店', numbers: ['0312340000'] }] });
    const { session: sato } = await signedInOperator(t, u.admin, 'sato@example.jp', '佐藤', ['201']);
    popup = await connectPopup(t, sato);
    feed = await openCaptureFeed(t, site.key);
    return { t, u, sato, popup, ...feed, close };
  } catch (error) {
    await close();
    throw error;
  }
}

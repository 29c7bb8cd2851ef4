import { io, Socket } from 'socket.io-client';
import type { EventClient } from './flexlog-fixtures';
import type { HttpClient } from './http-client';
import type { TestApp } from './test-app';

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

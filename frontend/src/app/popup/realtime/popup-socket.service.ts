import { HttpClient, HttpContext } from '@angular/common/http';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import { io, type Socket } from 'socket.io-client';
import { NO_LOGIN_REDIRECT } from '../../core/auth.interceptor';
import { dismiss, onAnswered, onEnded, onRinging, onSynced, StackedCall } from './call-stack';
import { POPUP_EVENTS, PopupAnswered, PopupEnded, PopupRinging, PopupSynced, Presence } from './popup-protocol';

/** What the service needs of a Socket.IO client (a fake in unit tests, socket.io-client in the app). */
export type PopupSocket = Pick<Socket, 'on' | 'connect' | 'disconnect' | 'connected'>;
export const POPUP_SOCKET_FACTORY = new InjectionToken<() => PopupSocket>('POPUP_SOCKET_FACTORY', {
  providedIn: 'root',
  // The app's own origin and the session cookie (docs/popup-realtime.md); websocket only, so several
  // backend instances need no sticky sessions. Connection is started by the service, not here.
  factory: () => () => io({ path: '/socket.io', transports: ['websocket'], withCredentials: true, autoConnect: false }),
});

const MAX_REFRESHES = 3;

export type ConnectionState = 'offline' | 'connecting' | 'connected' | 'reconnecting';

/**
 * The browser's end of the popup socket: holds the stacked popups and this user's presence,
 * refreshes the session when the server refuses or expires it, and lets listeners (desktop
 * notifications) hear of calls that newly ring.
 */
@Injectable({ providedIn: 'root' })
export class PopupSocketService {
  private readonly http = inject(HttpClient);
  private readonly factory = inject(POPUP_SOCKET_FACTORY);
  private socket: PopupSocket | null = null;
  private everConnected = false;
  private refreshing = false;
  /** Refreshes since the last successful connect: a session the socket keeps refusing is not retried forever. */
  private refreshesWithoutConnect = 0;
  private readonly listeners: Array<(call: PopupRinging) => void> = [];

  private readonly stackState = signal<StackedCall[]>([]);
  readonly stack = this.stackState.asReadonly();
  readonly ringingCount = computed(() => this.stackState().filter((s) => !s.ended).length);
  readonly connection = signal<ConnectionState>('offline');
  readonly presence = signal<Presence | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Connects once; later calls are no-ops while connected. */
  start(): void {
    if (this.socket) return;
    const socket = this.factory();
    this.socket = socket;
    socket.on('connect', () => {
      this.everConnected = true;
      this.refreshesWithoutConnect = 0;
      this.connection.set('connected');
    });
    socket.on('disconnect', () => this.connection.set(this.socket ? 'reconnecting' : 'offline'));
    socket.on('connect_error', (error: Error) => {
      this.connection.set(this.everConnected ? 'reconnecting' : 'connecting');
      // A refused handshake is not retried by socket.io: refresh the session, then connect again.
      if (/unauthori[sz]ed/i.test(error.message)) this.refreshAndReconnect();
    });
    socket.on(POPUP_EVENTS.ringing, (call: PopupRinging) => this.ringing(call));
    socket.on(POPUP_EVENTS.answered, (e: PopupAnswered) => this.stackState.update((s) => onAnswered(s, e)));
    socket.on(POPUP_EVENTS.ended, (e: PopupEnded) => this.stackState.update((s) => onEnded(s, e)));
    socket.on(POPUP_EVENTS.synced, (e: PopupSynced) => this.stackState.update((s) => onSynced(s, e)));
    socket.on(POPUP_EVENTS.presence, (e: { presence: Presence }) => this.presence.set(e.presence));
    socket.on(POPUP_EVENTS.sessionExpired, () => this.refreshAndReconnect());
    this.connection.set('connecting');
    socket.connect();
  }

  stop(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.disconnect();
    this.connection.set('offline');
    this.stackState.set([]);
  }

  /** Called for each call that newly rings (not for a resumed one already on screen). */
  onNewCall(listener: (call: PopupRinging) => void): void {
    this.listeners.push(listener);
  }

  dismiss(key: string): void {
    this.stackState.update((s) => dismiss(s, key));
  }

  private ringing(call: PopupRinging): void {
    const known = this.stackState().some((s) => s.call.key === call.key);
    this.stackState.update((s) => onRinging(s, call));
    if (!known) for (const l of this.listeners) l(call);
  }

  private refreshAndReconnect(): void {
    if (this.refreshing || !this.socket) return;
    if (++this.refreshesWithoutConnect > MAX_REFRESHES) {
      this.connection.set('offline');
      return;
    }
    this.refreshing = true;
    const context = new HttpContext().set(NO_LOGIN_REDIRECT, true);
    this.http.post('/api/v1/auth/refresh', null, { context }).subscribe({
      next: () => {
        this.refreshing = false;
        if (this.socket && !this.socket.connected) this.socket.connect();
      },
      // The session is gone: the next API call sends the user to the login page.
      error: () => {
        this.refreshing = false;
        this.connection.set('offline');
      },
    });
  }
}

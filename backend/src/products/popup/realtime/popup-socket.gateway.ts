import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server as HttpServer } from 'node:http';
import { Server, Socket } from 'socket.io';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { ACCESS_COOKIE } from '../../../core/auth/auth-cookies';
import { AuthService } from '../../../core/auth/auth.service';
import { TokenService } from '../../../core/auth/token.service';
import { claimUpgradePath } from '../../../platform/http/upgrade-paths';
import { POPUP_EVENTS } from './popup-protocol';

export const POPUP_SOCKET_PATH = '/socket.io';

/** Who is behind a socket: fixed at the handshake, from the session's access token. */
export interface SocketUser {
  tenantId: string;
  userId: string;
}

export type ConnectedHandler = (user: SocketUser, send: (event: string, payload: unknown) => void) => void;

const roomOf = (u: SocketUser) => `user:${u.tenantId}:${u.userId}`;

/**
 * Socket.IO on the API's HTTP server: a browser connects with its session cookie (or, from a
 * non-browser client, the same access token as `auth.token`), and the server puts the socket into its
 * user's room. Nothing a client sends is listened to: there is no way to ask for another room. With
 * REDIS_URL the rooms span every backend instance (Redis adapter), so the instance that receives a
 * call event reaches sockets connected anywhere.
 */
@Injectable()
export class PopupSocketGateway implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(PopupSocketGateway.name);
  private readonly connectedHandlers = new Set<ConnectedHandler>();
  private readonly instanceHandlers = new Map<string, Set<(payload: string) => void>>();
  private io: Server | undefined;
  private redis: Redis[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
  ) {}

  onApplicationBootstrap(): void {
    // The worker process has no HTTP server: sockets are served by the API processes.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as HttpServer | undefined;
    if (!server) return;
    // Engine.IO answers every upgrade under the path (its own check appends the slash).
    claimUpgradePath(`${POPUP_SOCKET_PATH}/`);
    this.io = new Server(server, {
      path: POPUP_SOCKET_PATH,
      serveClient: false,
      // Other upgrade handlers (the capture's event stream) share the server: leave their sockets alone.
      destroyUpgrade: false,
      maxHttpBufferSize: 16 * 1024,
    });
    if (this.config.redisUrl) {
      const pub = new Redis(this.config.redisUrl, { lazyConnect: false });
      const sub = pub.duplicate();
      for (const client of [pub, sub]) client.on('error', (e: Error) => this.logger.warn(`popup redis: ${e.message}`));
      this.redis = [pub, sub];
      this.io.adapter(createAdapter(pub, sub, { key: `${this.config.queuePrefix}:popup-socket.io` }));
    }
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(new Error(`unauthorized: ${error.message}`)),
      );
    });
    this.io.on('connection', (socket) => this.admit(socket));
    for (const event of this.instanceHandlers.keys()) this.listenToInstances(event);
  }

  /** Tells every other backend instance (through Redis); a single instance has nobody to tell. */
  toOtherInstances(event: string, payload: string): void {
    if (this.io && this.config.redisUrl) this.io.serverSideEmit(event, payload);
  }

  /** Hears what other instances send with toOtherInstances. */
  onInstanceEvent(event: string, handler: (payload: string) => void): void {
    let handlers = this.instanceHandlers.get(event);
    if (!handlers) {
      this.instanceHandlers.set(event, (handlers = new Set()));
      if (this.io) this.listenToInstances(event);
    }
    handlers.add(handler);
  }

  private listenToInstances(event: string): void {
    this.io?.on(event, (payload: string) => {
      for (const handler of this.instanceHandlers.get(event) ?? []) handler(payload);
    });
  }

  /** Called for every socket admitted on this instance (reconnects included). */
  onConnected(handler: ConnectedHandler): () => void {
    this.connectedHandlers.add(handler);
    return () => this.connectedHandlers.delete(handler);
  }

  /** Sends to every socket of the user, on every instance. */
  toUser(user: SocketUser, event: string, payload: unknown): void {
    this.io?.to(roomOf(user)).emit(event, payload);
  }

  /** Sends to every socket of the users, on every instance. */
  toUsers(tenantId: string, userIds: string[], event: string, payload: unknown): void {
    if (!this.io || !userIds.length) return;
    this.io.to(userIds.map((userId) => roomOf({ tenantId, userId }))).emit(event, payload);
  }

  /** Sockets on this instance (for health and the benchmark). */
  localSockets(): number {
    return this.io?.of('/').sockets.size ?? 0;
  }

  beforeApplicationShutdown(): void {
    // Open sockets would hold the HTTP server open; clients reconnect to another instance.
    this.io?.local.disconnectSockets(true);
  }

  async onApplicationShutdown(): Promise<void> {
    this.io?.engine.close();
    await Promise.all(this.redis.map((r) => r.quit().catch(() => undefined)));
  }

  private async authenticate(socket: Socket): Promise<void> {
    const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const fromCookie = !(typeof given === 'string' && given);
    const token = fromCookie ? cookieOf(socket.request.headers.cookie, ACCESS_COOKIE) : (given as string);
    if (!token) throw new Error('not logged in');
    // A browser sends the cookie to any page that opens a socket here: only our own pages (or the
    // configured CORS origins) may listen with it. Token clients are not browsers and send no cookie.
    if (fromCookie && !this.originAllowed(socket.request.headers.origin, socket.request.headers.host)) {
      throw new Error('origin not allowed');
    }
    const claims = await this.tokens.verifyAccess(token);
    const user = await this.auth.activeUser(claims.sub, claims.iat);
    const expiresAt = ((claims as { exp?: number }).exp ?? 0) * 1000;
    socket.data = { tenantId: user.tenantId, userId: user.id, expiresAt };
  }

  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    // Browsers may omit Origin on same-origin polling requests; cross-origin ones always carry it.
    if (!origin) return true;
    if (this.config.http.corsOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  private admit(socket: Socket): void {
    const data = socket.data as SocketUser & { expiresAt: number };
    const user: SocketUser = { tenantId: data.tenantId, userId: data.userId };
    void socket.join(roomOf(user));
    // The session decides how long the socket may listen: at its end the client refreshes and reconnects.
    const left = Math.max(0, data.expiresAt - Date.now());
    const expiry = setTimeout(() => {
      socket.emit(POPUP_EVENTS.sessionExpired, {});
      socket.disconnect(true);
    }, left);
    expiry.unref();
    socket.on('disconnect', () => clearTimeout(expiry));
    const send = (event: string, payload: unknown) => socket.emit(event, payload);
    for (const handler of this.connectedHandlers) handler(user, send);
  }
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAX_STACK } from './call-stack';
import { POPUP_EVENTS, PopupRinging } from './popup-protocol';
import { POPUP_SOCKET_FACTORY, PopupSocket, PopupSocketService } from './popup-socket.service';
import { ringing } from './popup-test-data';

/** Stands in for socket.io-client's Socket: records handlers, lets the test play the server. */
class FakeSocket {
  connected = false;
  connects = 0;
  disconnects = 0;
  private readonly handlers = new Map<string, Array<(arg: unknown) => void>>();
  on(event: string, handler: (arg: unknown) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  connect() {
    this.connects++;
    return this;
  }
  disconnect() {
    this.disconnects++;
    this.connected = false;
    return this;
  }
  serverSends(event: string, arg?: unknown) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect' || event === 'connect_error') this.connected = false;
    for (const h of this.handlers.get(event) ?? []) h(arg);
  }
}

describe('PopupSocketService', () => {
  let socket: FakeSocket;
  let service: PopupSocketService;
  let http: HttpTestingController;
  let notified: PopupRinging[];

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: POPUP_SOCKET_FACTORY, useValue: () => socket as unknown as PopupSocket },
      ],
    });
    service = TestBed.inject(PopupSocketService);
    http = TestBed.inject(HttpTestingController);
    notified = [];
    service.onNewCall((c) => notified.push(c));
    service.start();
    socket.serverSends('connect');
  });

  afterEach(() => http.verify());

  const keys = () => service.stack().map((s) => s.call.key);

  it('connects once and stacks a second ringing call on top of the first', () => {
    service.start();
    expect(socket.connects).toBe(1);
    expect(service.connection()).toBe('connected');
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a' }));
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'b' }));
    expect(keys()).toEqual(['site-1:b', 'site-1:a']);
    expect(service.ringingCount()).toBe(2);
    expect(notified.map((c) => c.sipCallId)).toEqual(['a', 'b']);
  });

  it('replaces a popup re-sent for the same key instead of showing it twice, and notifies once', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a' }));
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'b' }));
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a', resumed: true, lineName: '採用回線' }));
    expect(keys()).toEqual(['site-1:b', 'site-1:a']);
    expect(service.stack()[1].call.lineName).toBe('採用回線');
    expect(notified).toHaveLength(2);
  });

  it('shows who answered on every PC and keeps an ended popup until dismissed', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a' }));
    socket.serverSends(POPUP_EVENTS.answered, {
      key: 'site-1:a',
      extension: '202',
      answeredBy: { userId: 'u-sato', displayName: '佐藤' },
      answeredAt: '2026-11-24T01:00:05Z',
    });
    expect(service.stack()[0]).toMatchObject({ answered: true, answeredBy: { displayName: '佐藤' }, ended: false });
    socket.serverSends(POPUP_EVENTS.ended, { key: 'site-1:a', endedAt: '2026-11-24T01:03:00Z' });
    expect(service.stack()[0].ended).toBe(true);
    expect(service.ringingCount()).toBe(0);
    service.dismiss('site-1:a');
    expect(service.stack()).toEqual([]);
  });

  it('ignores events for calls it never showed', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a' }));
    socket.serverSends(POPUP_EVENTS.ended, { key: 'site-1:other', endedAt: '2026-11-24T01:03:00Z' });
    expect(service.stack()[0].ended).toBe(false);
  });

  it('after a reconnect resumes the calls still ringing and closes those that ended meanwhile', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'a' }));
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'b' }));
    socket.serverSends('disconnect', 'transport close');
    expect(service.connection()).toBe('reconnecting');
    socket.serverSends('connect');
    // The server re-sends b (answered while away), then lists what is still open.
    socket.serverSends(
      POPUP_EVENTS.ringing,
      ringing({
        sipCallId: 'b',
        resumed: true,
        answeredBy: { userId: 'u-suzuki', displayName: '鈴木' },
        answeredAt: '2026-11-24T01:00:09Z',
      }),
    );
    socket.serverSends(POPUP_EVENTS.synced, { keys: ['site-1:b'] });
    expect(service.stack().map((s) => [s.call.sipCallId, s.ended, s.answeredBy?.displayName ?? null])).toEqual([
      ['b', false, '鈴木'],
      ['a', true, null],
    ]);
    expect(notified.map((c) => c.sipCallId)).toEqual(['a', 'b']);
  });

  it('keeps at most MAX_STACK popups, dropping the oldest ended one first', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'first' }));
    socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: 'ended-one' }));
    socket.serverSends(POPUP_EVENTS.ended, { key: 'site-1:ended-one', endedAt: '2026-11-24T01:01:00Z' });
    for (let i = 0; i < MAX_STACK - 1; i++) socket.serverSends(POPUP_EVENTS.ringing, ringing({ sipCallId: `n${i}` }));
    expect(service.stack()).toHaveLength(MAX_STACK);
    expect(keys()).not.toContain('site-1:ended-one');
    expect(keys()).toContain('site-1:first');
  });

  it('refreshes the session and connects again when the handshake is refused as unauthorized', () => {
    socket.serverSends('connect_error', new Error('unauthorized: jwt expired'));
    http.expectOne({ method: 'POST', url: '/api/v1/auth/refresh' }).flush({});
    expect(socket.connects).toBe(2);
  });

  it('refreshes and reconnects when the server says the session expired', () => {
    socket.serverSends(POPUP_EVENTS.sessionExpired, {});
    socket.serverSends('disconnect', 'io server disconnect');
    http.expectOne('/api/v1/auth/refresh').flush({});
    expect(socket.connects).toBe(2);
  });

  it('goes offline without looping when the refresh fails', () => {
    socket.serverSends('connect_error', new Error('unauthorized: no session'));
    http.expectOne('/api/v1/auth/refresh').flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    expect(socket.connects).toBe(1);
    expect(service.connection()).toBe('offline');
  });

  it('does not refresh for a network error (socket.io retries by itself)', () => {
    socket.serverSends('connect_error', new Error('websocket error'));
    http.expectNone('/api/v1/auth/refresh');
    expect(service.connection()).toBe('reconnecting');
  });

  it('follows presence changes made from another PC or by an admin', () => {
    socket.serverSends(POPUP_EVENTS.presence, { presence: 'away' });
    expect(service.presence()).toBe('away');
  });

  it('disconnects and forgets the popups on stop', () => {
    socket.serverSends(POPUP_EVENTS.ringing, ringing());
    service.stop();
    expect(socket.disconnects).toBe(1);
    expect(service.stack()).toEqual([]);
    expect(service.connection()).toBe('offline');
  });
});

describe('PopupSocketService with a session the socket keeps refusing', () => {
  it('stops refreshing after a few attempts instead of looping', () => {
    const socket = new (class {
      connects = 0;
      handlers = new Map<string, (a: unknown) => void>();
      connected = false;
      on(e: string, h: (a: unknown) => void) {
        this.handlers.set(e, h);
      }
      connect() {
        this.connects++;
        this.handlers.get('connect_error')?.(new Error('unauthorized: bad token'));
      }
      disconnect() {
        /* nothing to close */
      }
    })();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: POPUP_SOCKET_FACTORY, useValue: () => socket as unknown as PopupSocket },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const service = TestBed.inject(PopupSocketService);
    service.start();
    for (let i = 0; i < 3; i++) http.expectOne('/api/v1/auth/refresh').flush({});
    http.expectNone('/api/v1/auth/refresh');
    expect(socket.connects).toBe(4);
    expect(service.connection()).toBe('offline');
    http.verify();
  });
});

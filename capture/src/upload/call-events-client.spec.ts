import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallProgress } from '../calls/call-assembler';
import type { CallRecord } from '../calls/call-record';
import { BackendClient } from './backend-client';
import { CallEventsClient, EventSequence } from './call-events-client';
import { FakeBackend } from './testing/fake-backend';

// Call events over a real WebSocket: numbered, acknowledged, buffered while the backend is away
// and replayed in order, never published twice, never lost to a lost counter.

jest.setTimeout(30_000);

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function progress(kind: CallProgress['kind'], n: number): CallProgress {
  const record = {
    callId: `call-${n}@pbx`,
    from: { number: '0312345678', name: '山田' },
    to: { number: '201', name: '' },
    direction: 'inbound',
  } as CallRecord;
  return { kind, record, codecs: new Map(), ts: Date.UTC(2025, 2, 1, 9, 0, n) * 1000 };
}

describe('CallEventsClient', () => {
  let dir: string;
  let backend: FakeBackend;
  let client: BackendClient;
  let events: CallEventsClient | null;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capture-events-'));
    backend = new FakeBackend();
    const url = await backend.start();
    client = new BackendClient({ serverUrl: new URL(url), apiKey: 'ak_fakesite_secret', version: 'test' });
    events = null;
  });
  afterEach(async () => {
    events?.stop();
    client.close();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connectedClient(path = join(dir, 'seq.json')): Promise<CallEventsClient> {
    const sequence = new EventSequence(path);
    await sequence.load();
    const created = new CallEventsClient(client, sequence, { reconnect: { firstMs: 20, maxMs: 60 } });
    created.lines = [{ name: '東京店', numbers: ['03-1234-5678'], trunks: [] }];
    created.start();
    await waitFor(() => created.connected);
    return created;
  }

  it('sends each event with its seq and the call, and forgets it once acknowledged', async () => {
    events = await connectedClient();
    events.publish(progress('ringing', 1));
    events.publish(progress('answered', 1));
    events.publish(progress('ended', 1));
    await waitFor(() => backend.events.length === 3 && events?.buffered === 0);
    expect(backend.events.map((e) => [e.event.seq, e.event.type])).toEqual([
      [1, 'ringing'],
      [2, 'answered'],
      [3, 'ended'],
    ]);
    expect(backend.events[0].event).toEqual({
      seq: 1,
      type: 'ringing',
      callId: 'call-1@pbx',
      at: '2025-03-01T09:00:01.000Z',
      caller: '0312345678',
      callee: '201',
      callerName: '山田',
      extension: '201',
      direction: 'inbound',
    });
  });

  it('buffers while the backend is away and replays in order when it is back; lost acks give no double event', async () => {
    events = await connectedClient();
    events.publish(progress('ringing', 1));
    await waitFor(() => backend.events.length === 1 && events?.buffered === 0);
    const port = backend.port;
    await backend.stop();
    await waitFor(() => !events?.connected);
    for (let n = 2; n <= 6; n++) events.publish(progress('ringing', n));
    expect(events.buffered).toBe(5);
    await backend.start(port);
    await waitFor(() => backend.events.length === 6 && events?.buffered === 0);
    expect(backend.events.map((e) => e.event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(backend.events.map((e) => e.event.callId)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `call-${n}@pbx`));

    // The connection dies right after the events went out: they were taken, their acks are lost.
    backend.dropEventConnections();
    events.publish(progress('answered', 7));
    await waitFor(() => events?.buffered === 0 && backend.events.some((e) => e.event.seq === 7));
    const accepted = backend.events.filter((e) => !e.duplicate).map((e) => e.event.seq);
    expect(accepted).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps counting across restarts, and continues after the backend when its counter was lost', async () => {
    events = await connectedClient();
    events.publish(progress('ringing', 1));
    await waitFor(() => events?.buffered === 0);
    events.stop();
    // Restarted with the same spool: numbers go on upwards (past the reserved block).
    events = await connectedClient();
    events.publish(progress('ringing', 2));
    await waitFor(() => events?.buffered === 0);
    const [first, second] = backend.events.map((e) => e.event.seq as number);
    expect(second).toBeGreaterThan(first);
    events.stop();
    // A box with a new spool starts from 1, but the backend has seen more: it continues after them.
    events = await connectedClient(join(dir, 'new-spool-seq.json'));
    events.publish(progress('ringing', 3));
    await waitFor(() => events?.buffered === 0);
    const last = backend.events[backend.events.length - 1];
    expect(last).toMatchObject({ duplicate: false, event: { callId: 'call-3@pbx' } });
    expect(last.event.seq).toBeGreaterThan(second);
  });
});

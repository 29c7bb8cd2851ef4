import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { answeredCall, answeredCallDatagrams, CALLEE_TONE_HZ, CALLER_TONE_HZ } from '../cli/testing/synthetic-calls';
import type { SpooledCall } from '../spool/spooled-call';
import { openSpoolRig, type SpoolRig } from '../spool/testing/spool-harness';
import type { DialogSimulator } from '../calls/testing/dialog-simulator';
import * as encoder from './call-audio-encoder';
import { EncodeWorkerPool } from './encode-worker-pool';
import { decodeOggFile, tonePower } from './testing/decode-ogg';

// Finished calls are encoded on worker threads from their spool folders: the recording must be the
// call's two-way audio, the spool's bookkeeping must follow, and a worker's failure costs only
// the call it was encoding (which is still uploaded, with the reason).

jest.setTimeout(90_000);

/** Call i rings at i s, is answered a second later and talks 3 + i s; then time moves on so all close. */
function feedAndClose(rig: SpoolRig, calls: DialogSimulator[]): void {
  rig.feed(
    calls.flatMap((dialog, i) => answeredCallDatagrams({ dialog, inviteAt: i, answerAt: i + 1, talkSeconds: 3 + i })),
  );
  rig.assembler.tick(rig.sink.latestUs + 30e6);
}

describe('EncodeWorkerPool', () => {
  let root: string;
  let pool: EncodeWorkerPool;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'capture-encode-pool-'));
    const created = EncodeWorkerPool.create(2);
    if (!created) throw new Error('the encode worker source was not found');
    pool = created;
  });
  afterEach(async () => {
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('encodes the calls that end on workers: caller left, callee right, media removed, ready to upload', async () => {
    const rig = await openSpoolRig(root, { encodePool: pool });
    const calls = [0, 1, 2].map((i) => answeredCall(`pool-${i}@pbx`, `031111000${i}`, `20${i}`, i));
    feedAndClose(rig, calls);
    await rig.spool.idle();
    expect(rig.logs.filter((l) => l.level === 'error')).toEqual([]);

    const names = readdirSync(join(root, 'done')).sort();
    expect(names).toHaveLength(3);
    for (const [i, name] of names.entries()) {
      const dir = join(root, 'done', name);
      expect(existsSync(join(dir, 'media.log'))).toBe(false);
      const recording = await decodeOggFile(join(dir, 'audio.ogg'));
      const [left, right] = recording.channels;
      expect(left.length / 8000).toBeGreaterThan(3 + i - 0.2);
      expect(tonePower(left, 8000, CALLER_TONE_HZ)).toBeGreaterThan(100 * tonePower(left, 8000, CALLEE_TONE_HZ));
      expect(tonePower(right, 8000, CALLEE_TONE_HZ)).toBeGreaterThan(100 * tonePower(right, 8000, CALLER_TONE_HZ));
    }
    expect(rig.spool.status()).toMatchObject({ pendingUploads: 3 });
    expect(pool.pending).toBe(0);
  });

  it("never runs the encoder in the spool's own thread", async () => {
    const inThread = jest.spyOn(encoder, 'encodeStereoToFile');
    try {
      const rig = await openSpoolRig(root, { encodePool: pool });
      feedAndClose(rig, [answeredCall('thread@pbx', '0311110000', '201')]);
      await rig.spool.idle();
      const [name] = readdirSync(join(root, 'done'));
      expect((await decodeOggFile(join(root, 'done', name, 'audio.ogg'))).channels[0].length).toBeGreaterThan(8000);
      expect(inThread).not.toHaveBeenCalled();
    } finally {
      inThread.mockRestore();
    }
  });

  it('a worker that dies costs only its call, which is still uploaded with the reason', async () => {
    // Each worker exits at once, as one killed by the system mid-call would.
    const dying = new EncodeWorkerPool(1, () => new Worker('process.exit(3)', { eval: true }));
    try {
      const rig = await openSpoolRig(root, { encodePool: dying });
      feedAndClose(rig, [answeredCall('dies@pbx', '0311110001', '202')]);
      await rig.spool.idle();
      const [name] = readdirSync(join(root, 'done'));
      const document = JSON.parse(readFileSync(join(root, 'done', name, 'call.json'), 'utf8')) as SpooledCall;
      expect(document.problems).toEqual([expect.stringMatching(/^encoding failed: encode worker exited \(3\)/)]);
      expect(document.record.audio).toBeNull();
      expect(existsSync(join(root, 'done', name, 'audio.ogg'))).toBe(true);
      expect(rig.logs.some((l) => l.level === 'error' && /encoding a call failed/.test(l.msg))).toBe(true);
      expect(rig.spool.status()).toMatchObject({ pendingUploads: 1 });
      // The next call gets a new worker (dying too, here) rather than a pool that refuses work.
      await expect(dying.encode(join(root, 'done', name))).rejects.toThrow(/exited \(3\)/);
    } finally {
      await dying.close();
    }
  });

  it('marks a call whose media holds nothing decodable, and still writes its zero-length recording', async () => {
    const rig = await openSpoolRig(root, { encodePool: pool, encodeEndedCalls: false });
    feedAndClose(rig, [answeredCall('garbled@pbx', '0311110002', '203')]);
    await rig.spool.idle();
    const [name] = readdirSync(join(root, 'done'));
    writeFileSync(join(root, 'done', name, 'media.log'), Buffer.alloc(64, 0xff));

    const reopened = await openSpoolRig(root, { encodePool: pool });
    await reopened.spool.idle();
    const document = JSON.parse(readFileSync(join(root, 'done', name, 'call.json'), 'utf8')) as SpooledCall;
    expect(document.record.audio).toBeNull();
    expect(document.problems).toContain('no decodable audio was left in the spool');
    expect(readFileSync(join(root, 'done', name, 'audio.ogg')).length).toBeGreaterThan(0);
    expect(reopened.spool.status()).toMatchObject({ pendingUploads: 1 });
  });
});

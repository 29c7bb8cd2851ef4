import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answeredCall,
  answeredCallDatagrams,
  CALLEE_TONE_HZ,
  CALLER_TONE_HZ,
  cancelledCallDatagrams,
} from '../cli/testing/synthetic-calls';
import * as encoder from '../output/call-audio-encoder';
import { decodeOggFile, tonePower } from '../output/testing/decode-ogg';
import type { SpooledCall } from './spooled-call';
import { openSpoolRig } from './testing/spool-harness';

// Crash safety: a spool abandoned mid-call (as kill -9 leaves it: files as last synced, objects
// gone) and opened again must close the interrupted calls as partial, keep the finished ones
// exactly once, and lose no call.

jest.setTimeout(60_000);

const documents = (root: string, area: string): SpooledCall[] =>
  readdirSync(join(root, area))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(root, area, name, 'call.json'), 'utf8')) as SpooledCall);

const byCallId = (list: SpooledCall[], callId: string): SpooledCall => {
  const found = list.find((d) => d.record.callId === callId);
  if (!found) throw new Error(`no ${callId} among ${list.map((d) => d.record.callId).join(', ')}`);
  return found;
};

describe('CallSpool crash safety', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'capture-spool-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('closes the calls a crash interrupted as partial, from what was spooled, and keeps the finished one once', async () => {
    const first = await openSpoolRig(root);
    const finished = answeredCall('finished@pbx', '0311112222', '201', 0);
    const talking = answeredCall('talking@pbx', '0333334444', '202', 1);
    const ringing = answeredCall('ringing@pbx', '0355556666', '203', 2);
    first.feed([
      ...answeredCallDatagrams({ dialog: finished, inviteAt: 0, answerAt: 1, talkSeconds: 2 }),
      ...answeredCallDatagrams({ dialog: talking, inviteAt: 0.5, answerAt: 1.5, talkSeconds: 8, hangUp: false }),
      ...cancelledCallDatagrams(ringing, 5).slice(0, 2), // INVITE and 180, then the box dies
    ]);
    // The finished call (BYE at 3.2 s, closed 2 s later) went through the spool; the others are up.
    await first.spool.idle();
    expect(first.logs.filter((l) => l.level !== 'info')).toEqual([]);
    expect(first.assembler.activeCalls).toBe(2);
    // What the periodic sync does every few seconds; then the process dies without closing anything.
    await first.spool.syncActive();
    expect(readdirSync(join(root, 'active'))).toHaveLength(2);
    expect(readdirSync(join(root, 'done'))).toHaveLength(1);
    // A write the crash cut short: half a record, then zeros (as some file systems leave a tail).
    const talkingDir = readdirSync(join(root, 'active')).find((name) => name.includes('talking'));
    appendFileSync(
      join(root, 'active', talkingDir as string, 'media.log'),
      Buffer.from([0x4d, 0, 1, 0, 0, 0, 0, 0, 0]),
    );

    const second = await openSpoolRig(root);
    await second.spool.idle();
    expect(readdirSync(join(root, 'active'))).toEqual([]);
    const done = documents(root, 'done');
    expect(done).toHaveLength(3);

    const complete = byCallId(done, 'finished@pbx');
    expect(complete).toMatchObject({ partial: false, state: 'ended' });
    expect(complete.record).toMatchObject({ endReason: 'bye', disposition: 'answered', talkSeconds: 2.2 });

    const interrupted = byCallId(done, 'talking@pbx');
    expect(interrupted).toMatchObject({ partial: true, state: 'ended' });
    expect(interrupted.record).toMatchObject({
      disposition: 'answered',
      answeredAt: '2025-03-01T09:00:01.500Z',
      from: { number: '0333334444' },
      to: { number: '202' },
    });
    // The last spooled packet is the callee's at 1.6 + 7.98 + 0.003 s; it ends 20 ms later.
    expect(Date.parse(interrupted.record.endedAt) - Date.parse('2025-03-01T09:00:09.600Z')).toBeLessThan(30);
    expect(interrupted.record.talkSeconds).toBeCloseTo(8.1, 1);
    expect(interrupted.clientRecordingId).toMatch(/^flexlog-[0-9a-f]{40}$/);

    const neverAnswered = byCallId(done, 'ringing@pbx');
    expect(neverAnswered).toMatchObject({ partial: true });
    expect(neverAnswered.record).toMatchObject({ answeredAt: null, disposition: 'missed', audio: null });

    // Every call has its audio file (a zero-length one when there was no audio) and no media left.
    for (const name of readdirSync(join(root, 'done'))) {
      expect(existsSync(join(root, 'done', name, 'audio.ogg'))).toBe(true);
      expect(existsSync(join(root, 'done', name, 'media.log'))).toBe(false);
    }
    const interruptedDir = readdirSync(join(root, 'done')).find((name) => name.includes('talking')) as string;
    const recording = await decodeOggFile(join(root, 'done', interruptedDir, 'audio.ogg'));
    const [left, right] = recording.channels;
    expect(left.length / 8000).toBeGreaterThan(7.8);
    expect(left.length / 8000).toBeLessThan(8.3);
    expect(tonePower(left, 8000, CALLER_TONE_HZ)).toBeGreaterThan(100 * tonePower(left, 8000, CALLEE_TONE_HZ));
    expect(tonePower(right, 8000, CALLEE_TONE_HZ)).toBeGreaterThan(100 * tonePower(right, 8000, CALLER_TONE_HZ));
    expect(second.logs.filter((l) => /flagged partial/.test(l.msg))).toHaveLength(2);
    expect(second.spool.status()).toMatchObject({ pendingUploads: 3 });

    // Opening it once more finds nothing to recover and nothing new: each call is there once.
    const third = await openSpoolRig(root);
    await third.spool.idle();
    expect(documents(root, 'done')).toEqual(done);
    expect(third.logs.filter((l) => /flagged partial/.test(l.msg))).toHaveLength(0);
    expect(third.spool.status()).toMatchObject({ pendingUploads: 3 });
  });

  it('finishes the move to done/ that a crash interrupted after the final document was written', async () => {
    const first = await openSpoolRig(root);
    // The process dies right before the rename active/ -> done/: everything before it is on disk.
    jest.spyOn(first.spool.store, 'move').mockRejectedValueOnce(new Error('killed before the rename'));
    const call = answeredCall('quick@pbx', '0311112222', '201', 0);
    first.feed(answeredCallDatagrams({ dialog: call, inviteAt: 0, answerAt: 1, talkSeconds: 1 }));
    first.assembler.finish(first.sink.latestUs + 3_000_000); // end of input closes the call
    await first.spool.idle();
    const [name] = readdirSync(join(root, 'active'));
    expect(readdirSync(join(root, 'active', name)).sort()).toEqual(['call.json', 'media.log']);

    const second = await openSpoolRig(root);
    await second.spool.idle();
    const [document] = documents(root, 'done');
    // Complete, not partial: its final document was written; encoded from the spooled media.
    expect(document).toMatchObject({ partial: false, record: { callId: 'quick@pbx', endReason: 'bye' } });
    expect(readdirSync(join(root, 'done', name)).sort()).toEqual(['audio.ogg', 'call.json']);
    const recording = await decodeOggFile(join(root, 'done', name, 'audio.ogg'));
    expect(recording.channels[0].length / 8000).toBeGreaterThan(1);
    expect(tonePower(recording.channels[1], 8000, CALLEE_TONE_HZ)).toBeGreaterThan(0.001);
  });

  it('still sends a call whose encoding failed: metadata, a zero-length recording and the reason', async () => {
    const rig = await openSpoolRig(root);
    jest.spyOn(encoder, 'encodeStereoToFile').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
    rig.feed(
      answeredCallDatagrams({
        dialog: answeredCall('x@pbx', '0311112222', '201', 0),
        inviteAt: 0,
        answerAt: 1,
        talkSeconds: 1,
      }),
    );
    rig.assembler.finish(rig.sink.latestUs + 3_000_000);
    await rig.spool.idle();
    const [document] = documents(root, 'done');
    expect(document.record).toMatchObject({ callId: 'x@pbx', audio: null, disposition: 'answered' });
    expect(document.problems).toEqual(['encoding failed: ENOSPC: no space left on device']);
    const [name] = readdirSync(join(root, 'done'));
    expect(readdirSync(join(root, 'done', name)).sort()).toEqual(['audio.ogg', 'call.json']);
    expect(rig.spool.status().pendingUploads).toBe(1);
    expect(rig.logs.some((l) => l.level === 'error' && /encoding a call failed/.test(l.msg))).toBe(true);
  });

  it('refuses media beyond its capacity and raises the alert at 80 % held by calls not uploaded', async () => {
    const rig = await openSpoolRig(root, { capacityBytes: 60_000 });
    const call = answeredCall('big@pbx', '0311112222', '201', 0);
    // 10 s of two-way G.711 is about 350 kB of media: far over a 60 kB spool.
    rig.feed(answeredCallDatagrams({ dialog: call, inviteAt: 0, answerAt: 1, talkSeconds: 10 }));
    expect(rig.spool.status().nearlyFull).toBe(true);
    expect(rig.logs.some((l) => l.level === 'error' && /spool nearly full/.test(l.msg))).toBe(true);
    rig.assembler.finish(rig.sink.latestUs + 3_000_000);
    await rig.spool.idle();
    const [document] = documents(root, 'done');
    expect(document.record.audioTruncated).toBe(true);
    expect(document.problems.join(' ')).toMatch(/full/);
    expect(rig.spool.store.usage.refusedAppends).toBeGreaterThan(0);
    // Encoded, the call holds a few kB: the alert clears.
    expect(rig.spool.status().nearlyFull).toBe(false);
    expect(rig.logs.some((l) => /spool space recovered/.test(l.msg))).toBe(true);
  });
});

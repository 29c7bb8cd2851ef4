import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioPreparation } from '../src/products/flexdplayer/import/audio-preparation';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import {
  amr3gp,
  amrFile,
  csvSidecar,
  folderConnector,
  m4a,
  MOBILE,
  MOBILE_E164,
  scanUntilSettled,
  ulawWav,
  watchedFolder,
} from './support/flexdplayer-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const name = (other: string, time: string, dir: string, ext = 'wav', own = MOBILE) =>
  `${own}_${other}_${time}_${dir}.${ext}`;

describe.each(testDatabases())('FlexDPlayer import on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let operatorId: string;

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await setupTenants(t);
    operatorId = (await u.operator.get('/api/v1/auth/me')).body.id;
    const line = await u.admin.post('/api/v1/flexdplayer/lines', {
      number: '090-1234-5678',
      label: '営業 山田',
      userId: operatorId,
    });
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({ e164: MOBILE_E164, userId: operatorId, released: 0 });
  });
  afterAll(async () => t?.close());

  const callOf = async (id: string) => (await u.admin.get(`/api/v1/calls/${id}`)).body;

  it('imports a batch with CSV sidecars: numbers, JST times, the line’s user, playable audio; files to done/', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '東京 NFS', folder);
    writeFileSync(join(folder, name('0312345678', '20261124093000', 'out')), ulawWav(2));
    const inbound = name('0612345678', '20261124100500', 'in');
    writeFileSync(join(folder, inbound), ulawWav(3));
    writeFileSync(
      join(folder, inbound.replace('.wav', '.csv')),
      csvSidecar({
        own: MOBILE,
        other: '0612345678',
        direction: '着信',
        start: '2026/11/24 10:05:07',
        duration: 3,
        callId: 'DCM-1',
      }),
    );
    const result = await scanUntilSettled(u.admin, c.id);
    expect(result).toMatchObject({ imported: 2, failed: 0, quarantined: 0 });
    const ids = result.files.map((f) => f['callId'] as string);
    const out = await callOf(ids[0]);
    const byDirection = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [(await callOf(id)).direction, await callOf(id)])),
    );
    expect(byDirection.outbound).toMatchObject({
      source: 'flexdplayer',
      caller: { e164: MOBILE_E164 },
      callee: { e164: '+81312345678' },
      startedAt: '2026-11-24T00:30:00.000Z',
      talkSeconds: 2,
      userId: operatorId,
    });
    expect(byDirection.inbound).toMatchObject({
      caller: { e164: '+81612345678' },
      callee: { e164: MOBILE_E164 },
      startedAt: '2026-11-24T01:05:07.000Z',
      talkSeconds: 3,
    });
    expect(out.id).toBeDefined();
    const search = await u.admin.get('/api/v1/calls?source=flexdplayer&number=06-1234-5678');
    expect(search.body.items.map((i: { id: string }) => i.id)).toContain(byDirection.inbound.id);
    const audio = await fetch(`${t.baseUrl}/api/v1/calls/${byDirection.inbound.id}/audio`, {
      headers: { cookie: `access_token=${u.operator.cookie('access_token')}` },
    });
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).toString('latin1', 0, 4)).toBe('OggS');
    // The mobile user sees the calls of their line.
    const mine = (await u.operator.get('/api/v1/calls?source=flexdplayer')).body.items.map((i: { id: string }) => i.id);
    expect(mine).toEqual(expect.arrayContaining(ids));
    expect(readdirSync(folder).filter((f) => f.endsWith('.wav') || f.endsWith('.csv'))).toEqual([]);
    expect(readdirSync(join(folder, 'done')).sort()).toEqual(
      [inbound, inbound.replace('.wav', '.csv'), name('0312345678', '20261124093000', 'out')].sort(),
    );
    const opening = await u.admin.get('/api/v1/flexdplayer/opening-test');
    expect(opening.body).toMatchObject({ state: 'candidate', product: 'flexdplayer' });
    const confirmed = await u.admin.post('/api/v1/flexdplayer/opening-test/confirm', {});
    expect(confirmed.body).toMatchObject({ state: 'confirmed', confirmedAt: opening.body.candidateAt });
    const [row] = await t.dataSource.query(
      "SELECT confirmedBy FROM opening_tests WHERE tenantId = ? AND product = 'flexdplayer'",
      [u.tenantId],
    );
    expect(row.confirmedBy).toBe((await u.admin.get('/api/v1/auth/me')).body.id);
  });

  it('does not import a file still being written; a completion marker or a settled size lets it in', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '書き込み中', folder, { settleSeconds: 3600 });
    const file = join(folder, name('0311112222', '20261124110000', 'out'));
    const whole = ulawWav(4);
    writeFileSync(file, whole.subarray(0, 10_000));
    const scan = () => u.admin.post(`/api/v1/flexdplayer/connectors/${c.id}/scan`);
    expect((await scan()).body.summary).toMatchObject({ pending: 1, imported: 0 });
    appendFileSync(file, whole.subarray(10_000, 20_000));
    expect((await scan()).body.summary).toMatchObject({ pending: 1, imported: 0 });
    appendFileSync(file, whole.subarray(20_000));
    expect((await scan()).body.summary).toMatchObject({ pending: 1, imported: 0 });
    const [{ n }] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM calls WHERE callerDigits = '09012345678' AND calleeDigits = '0311112222'",
    );
    expect(Number(n)).toBe(0);
    writeFileSync(`${file}.done`, '');
    const done = (await scan()).body.summary;
    expect(done).toMatchObject({ pending: 0, imported: 1 });
    expect((await callOf(done.files[0].callId)).talkSeconds).toBe(4);
    expect(existsSync(`${file}.done`)).toBe(false);
  });

  it('moves a corrupt file to failed/ with its reason, imports the rest, and retries on request', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '壊れたファイル', folder);
    const bad = name('0322223333', '20261124120000', 'out');
    writeFileSync(join(folder, bad), Buffer.concat([Buffer.from('not audio at all'), Buffer.alloc(4000, 7)]));
    writeFileSync(join(folder, name('0322223334', '20261124120100', 'out')), ulawWav(1, 500));
    const badName = name('0322223335', '20261124999999', 'out');
    writeFileSync(join(folder, badName), ulawWav(1, 520));
    const result = await scanUntilSettled(u.admin, c.id);
    expect(result).toMatchObject({ imported: 1, failed: 2 });
    const failed = (await u.admin.get(`/api/v1/flexdplayer/files?status=failed&connectorId=${c.id}`)).body;
    const corrupt = failed.find((f: { fileName: string }) => f.fileName === bad);
    expect(corrupt.reason).toMatch(/^audio: .*ffmpeg could not decode/);
    const error = JSON.parse(readFileSync(join(folder, 'failed', `${bad}.error.json`), 'utf8'));
    expect(error).toMatchObject({ file: bad, reason: corrupt.reason });
    const wrongTime = failed.find((f: { fileName: string }) => f.fileName === badName);
    expect(wrongTime.reason).toMatch(/^startedAt: /);
    const retried = await u.admin.post(`/api/v1/flexdplayer/files/${corrupt.id}/retry`);
    expect(retried.body).toMatchObject({ status: 'failed', fileId: corrupt.id });
    expect((await u.admin.get(`/api/v1/flexdplayer/files?status=failed&connectorId=${c.id}`)).body).toHaveLength(2);
    // Fixed by hand in failed/: the retry imports it.
    writeFileSync(join(folder, 'failed', bad), ulawWav(1, 540));
    expect((await u.admin.post(`/api/v1/flexdplayer/files/${corrupt.id}/retry`)).body).toMatchObject({
      status: 'imported',
    });
    expect(existsSync(join(folder, 'failed', `${bad}.error.json`))).toBe(false);
  });

  it('makes one call of the same file delivered twice', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '二重配信', folder);
    const file = name('0333334444', '20261124130000', 'in');
    const audio = ulawWav(1, 600);
    writeFileSync(join(folder, file), audio);
    expect(await scanUntilSettled(u.admin, c.id)).toMatchObject({ imported: 1 });
    writeFileSync(join(folder, file), audio);
    const again = await scanUntilSettled(u.admin, c.id);
    expect(again).toMatchObject({ imported: 1, duplicates: 1 });
    const [{ n }] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM calls WHERE calleeDigits = '09012345678' AND callerDigits = '0333334444'",
    );
    expect(Number(n)).toBe(1);
    expect(readdirSync(join(folder, 'done')).sort()).toEqual([file, file.replace('.wav', '~2.wav')]);
  });

  it('decodes AMR-NB, AMR-WB, 3GP and M4A with ffmpeg; they play', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, 'AMR と M4A', folder);
    writeFileSync(join(folder, name('0344445551', '20261124140000', 'out', 'amr')), amrFile(3));
    writeFileSync(join(folder, name('0344445552', '20261124140100', 'out', 'amr')), amrFile(2, true));
    writeFileSync(join(folder, name('0344445553', '20261124140200', 'out', '3gp')), amr3gp(2));
    writeFileSync(join(folder, name('0344445554', '20261124140300', 'out', 'm4a')), m4a(3));
    const result = await scanUntilSettled(u.admin, c.id);
    expect(result).toMatchObject({ imported: 4, failed: 0 });
    const calls = await Promise.all(result.files.map((f) => callOf(f['callId'] as string)));
    const seconds = Object.fromEntries(calls.map((call) => [call.callee.number, call.talkSeconds]));
    expect(seconds).toEqual({ '0344445551': 3, '0344445552': 2, '0344445553': 2, '0344445554': 3 });
    for (const call of calls) {
      const wav = await fetch(`${t.baseUrl}/api/v1/calls/${call.id}/audio?format=wav`, {
        headers: { cookie: `access_token=${u.admin.cookie('access_token')}` },
      });
      expect(wav.status).toBe(200);
      expect((await wav.arrayBuffer()).byteLength).toBeGreaterThan(44 + 8000);
    }
  });

  it('names the codec and the missing tool when ffmpeg is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fdp-noffmpeg-'));
    writeFileSync(join(dir, 'x.amr'), amrFile(1));
    await expect(new AudioPreparation('/nonexistent/ffmpeg').prepare(join(dir, 'x.amr'), dir)).rejects.toThrow(
      'AMR is not supported: decoding amr needs ffmpeg, which is not installed on this server (apt-get install ffmpeg)',
    );
  });

  it('quarantines a file of an unknown number until a line takes it, or an admin assigns it', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '未登録回線', folder);
    writeFileSync(join(folder, name('0355556666', '20261124150000', 'out', 'wav', '08011112222')), ulawWav(1, 700));
    writeFileSync(join(folder, name('0355556667', '20261124150100', 'out', 'wav', '07033334444')), ulawWav(1, 720));
    expect(await scanUntilSettled(u.admin, c.id)).toMatchObject({ quarantined: 2, imported: 0 });
    const held = (await u.admin.get(`/api/v1/flexdplayer/files?status=quarantined&connectorId=${c.id}`)).body;
    expect(held.map((f: { ownNumber: string }) => f.ownNumber).sort()).toEqual(['+817033334444', '+818011112222']);
    expect(readdirSync(join(folder, 'quarantine'))).toHaveLength(2);
    const line = await u.admin.post('/api/v1/flexdplayer/lines', { number: '080-1111-2222' });
    expect(line.body.released).toBe(1);
    const other = held.find((f: { ownNumber: string }) => f.ownNumber === '+817033334444');
    const mobileLine = (await u.admin.get('/api/v1/flexdplayer/lines')).body.find(
      (l: { e164: string }) => l.e164 === MOBILE_E164,
    );
    expect(
      (await u.auditor.post(`/api/v1/flexdplayer/files/${other.id}/assign`, { lineId: mobileLine.id })).status,
    ).toBe(403);
    const assigned = await u.admin.post(`/api/v1/flexdplayer/files/${other.id}/assign`, { lineId: mobileLine.id });
    expect(assigned.body).toMatchObject({ status: 'imported' });
    expect((await callOf(assigned.body.callId)).userId).toBe(operatorId);
    expect((await u.admin.get(`/api/v1/flexdplayer/files?status=quarantined&connectorId=${c.id}`)).body).toEqual([]);
    expect(readdirSync(join(folder, 'quarantine'))).toEqual([]);
  });
});

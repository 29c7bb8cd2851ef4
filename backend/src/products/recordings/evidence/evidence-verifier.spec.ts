import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EvidenceManifest } from './evidence-format';
import { ARCHIVE, verifyEvidenceZip } from './evidence-verifier';
import { EvidenceIntegrityError, EvidenceZipWriter } from './evidence-zip-writer';
import {
  AUDIO,
  flipByteOf,
  METADATA,
  readEntries,
  testSigner,
  writeEntries,
  writeTestExport,
} from './testing/evidence-zips';

function entryNamed(entries: Array<{ name: string; data: Buffer }>, name: string) {
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new Error(`${name} is not in the ZIP`);
  return entry;
}

describe('evidence verifier', () => {
  const signer = testSigner();
  let dir: string;
  let original: string;
  const at = (name: string) => join(dir, name);
  const kinds = (report: { problems: Array<{ file: string; problem: string }> }) =>
    report.problems.map((p) => `${p.problem} ${p.file}`).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-verifier-'));
    original = at('original.zip');
    await writeTestExport(original, signer);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes an untouched export checked with the trusted key', async () => {
    const report = await verifyEvidenceZip(original, { trustedPublicKey: signer.publicKeyPem });
    expect(report).toMatchObject({
      ok: true,
      keySource: 'trusted',
      keyFingerprint: signer.fingerprint,
      embeddedKeyMatches: true,
      checkedFiles: 4, // audio, metadata, csv, public key (manifest and signature are the envelope)
      problems: [],
    });
    expect(report.manifest).toMatchObject({ calls: 1, tenant: { name: 'テスト' } });
  });

  it('names a stored file with one flipped byte as changed, and nothing else', async () => {
    const copy = at('flipped-audio.zip');
    writeFileSync(copy, readFileSync(original));
    await flipByteOf(copy, AUDIO);
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual([`changed ${AUDIO}`]);
  });

  it('names a compressed file with one flipped byte as changed', async () => {
    const copy = at('flipped-metadata.zip');
    writeFileSync(copy, readFileSync(original));
    await flipByteOf(copy, METADATA);
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    expect(kinds(report)).toEqual([`changed ${METADATA}`]);
  });

  it('names edited, removed and added files after a re-zip', async () => {
    const entries = await readEntries(original);
    const edited = entries
      .filter((e) => e.name !== 'calls.csv')
      .map((e) => (e.name === METADATA ? { ...e, data: Buffer.from('{"id":"forged"}') } : e));
    edited.push({ name: 'calls/extra/audio.opus', data: Buffer.from('not from the appliance') });
    const copy = at('rezipped.zip');
    await writeEntries(copy, edited);
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    expect(kinds(report)).toEqual([`added calls/extra/audio.opus`, `changed ${METADATA}`, 'missing calls.csv']);
  });

  it('catches a manifest rewritten to match a forged file: the signature fails', async () => {
    const entries = await readEntries(original);
    const forged = Buffer.from('forged audio');
    const manifest = JSON.parse(entryNamed(entries, 'manifest.json').data.toString()) as EvidenceManifest;
    const file = manifest.files.find((f) => f.path === AUDIO);
    if (!file) throw new Error('the test export lists no audio');
    file.bytes = forged.length;
    file.sha256 = createHash('sha256').update(forged).digest('hex');
    const copy = at('forged-manifest.zip');
    await writeEntries(
      copy,
      entries.map((e) =>
        e.name === AUDIO
          ? { ...e, data: forged }
          : e.name === 'manifest.json'
            ? { ...e, data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n') }
            : e,
      ),
    );
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    expect(kinds(report)).toEqual(['manifest-signature manifest.json']);
  });

  it("names the files when the manifest and signature are swapped for another export's", async () => {
    const other = at('other.zip');
    await writeTestExport(other, signer); // same layout, different audio
    const mine = await readEntries(original);
    const theirs = await readEntries(other);
    const envelope = new Set(['manifest.json', 'manifest.sig']);
    const copy = at('swapped.zip');
    await writeEntries(copy, [
      ...mine.filter((e) => !envelope.has(e.name)),
      ...theirs.filter((e) => envelope.has(e.name)),
    ]);
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    // Their manifest is genuinely signed, so only the file that differs is named.
    expect(kinds(report)).toEqual([`changed ${AUDIO}`]);
  });

  it('reports a manifest swapped without its signature', async () => {
    const other = at('other2.zip');
    await writeTestExport(other, signer);
    const theirs = await readEntries(other);
    const copy = at('manifest-only.zip');
    await writeEntries(
      copy,
      (await readEntries(original)).map((e) => (e.name === 'manifest.json' ? entryNamed(theirs, 'manifest.json') : e)),
    );
    const report = await verifyEvidenceZip(copy, { trustedPublicKey: signer.publicKeyPem });
    expect(kinds(report)).toEqual(['changed ' + AUDIO, 'manifest-signature manifest.json']);
  });

  it('refuses an export signed by another key, saying so', async () => {
    const stranger = testSigner();
    const report = await verifyEvidenceZip(original, { trustedPublicKey: stranger.publicKeyPem });
    expect(kinds(report)).toEqual(['manifest-signature manifest.json']);
    expect(report.problems[0].detail).toContain('signed by another key');
    expect(report.embeddedKeyMatches).toBe(false);
  });

  it('says when it used the key inside the ZIP', async () => {
    const report = await verifyEvidenceZip(original);
    expect(report).toMatchObject({ ok: true, keySource: 'embedded', keyFingerprint: signer.fingerprint });
  });

  it('reports duplicate names, a missing manifest, and archives that are not ZIPs or are cut short', async () => {
    const entries = await readEntries(original);
    const dup = at('duplicate.zip');
    await writeEntries(dup, [...entries, { name: AUDIO, data: Buffer.from('second copy') }]);
    expect(kinds(await verifyEvidenceZip(dup, { trustedPublicKey: signer.publicKeyPem }))).toEqual([
      `duplicate ${AUDIO}`,
    ]);

    const bare = at('no-manifest.zip');
    await writeEntries(
      bare,
      entries.filter((e) => e.name !== 'manifest.json'),
    );
    expect(kinds(await verifyEvidenceZip(bare, { trustedPublicKey: signer.publicKeyPem }))).toEqual([
      'manifest-missing manifest.json',
    ]);

    const text = at('text.zip');
    writeFileSync(text, 'hello');
    expect(kinds(await verifyEvidenceZip(text, { trustedPublicKey: signer.publicKeyPem }))).toEqual([
      `unreadable ${ARCHIVE}`,
    ]);

    const cut = at('cut.zip');
    writeFileSync(cut, readFileSync(original));
    truncateSync(cut, statSync(cut).size - 100);
    expect(kinds(await verifyEvidenceZip(cut, { trustedPublicKey: signer.publicKeyPem }))).toEqual([
      `unreadable ${ARCHIVE}`,
    ]);
  });

  it('stops at the decompressed-size budget', async () => {
    const report = await verifyEvidenceZip(original, {
      trustedPublicKey: signer.publicKeyPem,
      maxUncompressedBytes: 1000,
    });
    expect(kinds(report)).toEqual([`too-large ${ARCHIVE}`]);
  });

  it('throws for a trusted key that is not a key (the caller erred, not the archive)', async () => {
    await expect(verifyEvidenceZip(original, { trustedPublicKey: 'nonsense' })).rejects.toThrow(/not a PEM public key/);
  });
});

describe('evidence ZIP writer', () => {
  const minimalHead = () => ({
    exportId: 'x',
    createdAt: new Date().toISOString(),
    tenant: { id: 't', name: 't' },
    exportedBy: { id: null, email: null },
    query: {},
    calls: 1,
  });

  it('fails the ZIP when stored content does not match its recorded SHA-256', async () => {
    const writer = new EvidenceZipWriter(testSigner());
    writer.addStream('calls/x/audio.opus', async () => Readable.from([Buffer.from('changed in storage')]), {
      expectSha256: '0'.repeat(64),
    });
    writer.finish(minimalHead());
    // yazl writes before anyone reads: the failure comes first, and must still reach a late consumer.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writer.output.errored).toBeInstanceOf(EvidenceIntegrityError);
    await expect(pipeline(writer.output, new PassThrough().resume())).rejects.toBeInstanceOf(EvidenceIntegrityError);
  });

  it.each([
    ['cannot be opened', async (): Promise<Readable> => Promise.reject(new Error('object not found'))],
    [
      'breaks mid-way',
      async () =>
        new Readable({
          read() {
            this.push(Buffer.alloc(100));
            this.destroy(new Error('object not found'));
          },
        }),
    ],
  ])('fails the ZIP when a source %s', async (_case, open) => {
    const writer = new EvidenceZipWriter(testSigner());
    writer.addStream('a.opus', open);
    writer.finish(minimalHead());
    writer.output.resume();
    await expect(
      new Promise((resolve, reject) => writer.output.on('error', reject).on('end', resolve)),
    ).rejects.toThrow('object not found');
    expect(() => writer.addBuffer('a.opus', Buffer.alloc(1))).toThrow(/added twice/);
  });

  it('closes the source being read when the ZIP is abandoned (a failed upload to storage)', async () => {
    const writer = new EvidenceZipWriter(testSigner());
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
      },
    });
    writer.addStream('a.opus', async () => endless);
    writer.finish(minimalHead());
    writer.output.resume();
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.abort(new Error('storage refused the upload'));
    expect(endless.destroyed).toBe(true);
    expect(writer.output.errored?.message).toBe('storage refused the upload');
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';
import { ZipFile } from 'yazl';
import { keyFingerprint } from '../evidence-format';
import { EvidenceSigner, EvidenceZipWriter } from '../evidence-zip-writer';

/** Test helpers for evidence ZIPs: make a signed export without the app, and tamper with one. */

export function testSigner(): EvidenceSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, fingerprint: keyFingerprint(publicKey) };
}

export const CALL_ID = '11111111-2222-4333-8444-555555555555';
export const AUDIO = `calls/${CALL_ID}/audio.opus`;
export const METADATA = `calls/${CALL_ID}/metadata.json`;

/** A small signed export (audio stored, JSON deflated) written to path. */
export async function writeTestExport(path: string, signer: EvidenceSigner, audio = randomBytes(40_000)) {
  const writer = new EvidenceZipWriter(signer);
  writer.addStream(AUDIO, async () => Readable.from([audio.subarray(0, 1000), audio.subarray(1000)]), {
    compress: false,
  });
  writer.addBuffer(METADATA, Buffer.from(JSON.stringify({ id: CALL_ID, notes: 'x'.repeat(2000) })));
  writer.addBuffer('calls.csv', Buffer.from('id\r\n' + CALL_ID + '\r\n'));
  writer.addBuffer('public-key.pem', Buffer.from(signer.publicKeyPem));
  writer.finish({
    exportId: 'e0000000-0000-4000-8000-000000000000',
    createdAt: new Date().toISOString(),
    tenant: { id: 't1', name: 'テスト' },
    exportedBy: { id: 'u1', email: 'a@example.jp' },
    query: { callIds: [CALL_ID] },
    calls: 1,
  });
  await pipeline(writer.output, createWriteStream(path));
  return audio;
}

/** Every entry's name and content, in archive order. */
export async function readEntries(path: string): Promise<Array<{ name: string; data: Buffer }>> {
  const zip = await openPromise(path);
  const out: Array<{ name: string; data: Buffer }> = [];
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  zip.close();
  return out;
}

/** Writes a new ZIP from a list of entries (what someone re-zipping an edited export would make). */
export async function writeEntries(path: string, entries: Array<{ name: string; data: Buffer }>) {
  const zip = new ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/** Flips one bit of one byte in the middle of an entry's stored (possibly compressed) data. */
export async function flipByteOf(path: string, name: string): Promise<void> {
  const zip = await openPromise(path);
  let at = -1;
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    at = fileDataStart + Math.floor(entry.compressedSize / 2);
  }
  zip.close();
  if (at < 0) throw new Error(`${name} not in ${path}`);
  const fd = openSync(path, 'r+');
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, at);
  byte[0] ^= 0x01;
  writeSync(fd, byte, 0, 1, at);
  closeSync(fd);
}

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Recording } from '../../src/products/recordings/recording.entity';
import { RecordingVault } from '../../src/products/recordings/vault/recording-vault';
import type { TestApp } from './test-app';

/** Stores bytes as a call's recording the way ingest does (the vault does not care what the bytes are). */
export async function storeTestRecording(
  t: TestApp,
  tenantId: string,
  callId: string,
  bytes: Buffer,
  extra: Partial<Recording> = {},
): Promise<Recording> {
  const stored = await t.app
    .get(RecordingVault)
    .write(tenantId, ['recordings', `${callId}.opus`], Readable.from([bytes]));
  const row: Recording = Object.assign(new Recording(), {
    id: randomUUID(),
    tenantId,
    callId,
    storageKey: stored.storageKey,
    format: 'ogg-opus',
    bytes: stored.bytes,
    storedBytes: stored.storedBytes,
    sha256: stored.sha256,
    durationMs: 60_000,
    keyId: stored.keyId,
    cipherHeader: stored.cipherHeader,
    peaks: JSON.stringify([0.1, -0.1, 0.5, -0.4]),
    createdAt: new Date(),
    ...extra,
  });
  await t.dataSource.getRepository(Recording).insert(row);
  return row;
}

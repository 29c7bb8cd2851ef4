// Stored bytes per call-hour: what the recordings table says was written (ciphertext, storedBytes)
// over the audio's duration, checked against the files actually on the local disk.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MIAREC_MB_PER_HOUR = 14.4; // PRODUCT.md: MiaRec, stereo MP3
const GOAL_MB_PER_HOUR = 7.2;

const QUERY = `SELECT c.codec AS codec, c.channelLayout AS layout, r.durationMs AS durationMs, r.bytes AS bytes,
  r.storedBytes AS storedBytes FROM recordings r JOIN calls c ON c.id = r.callId AND c.tenantId = r.tenantId`;

async function recordingRows(database) {
  if (database.type === 'sqlite') {
    const db = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(QUERY).all();
    } finally {
      db.close();
    }
  }
  const conn = await mysql.createConnection({ uri: database.url });
  try {
    const [rows] = await conn.query(QUERY);
    return rows;
  } finally {
    await conn.end();
  }
}

function bytesOnDisk(dir) {
  let total = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    total += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
    files++;
  }
  return { files, bytes: total };
}

/**
 * MB (10^6 bytes) per call-hour, per kind of recording: input codec (PCMU = WAV upload, opus = Ogg
 * Opus upload) and length (one minute or one hour), plus the disk check.
 */
export async function storedSize(database, recordingsDir) {
  const rows = await recordingRows(database);
  const groups = new Map();
  for (const row of rows) {
    const length = Number(row.durationMs) >= 30 * 60_000 ? 'one-hour' : 'one-minute';
    const key = `${row.layout} ${length}, ${row.codec === 'opus' ? 'Opus' : 'WAV'} input`;
    const g = groups.get(key) ?? { kind: key, recordings: 0, durationMs: 0, bytes: 0, storedBytes: 0 };
    g.recordings++;
    g.durationMs += Number(row.durationMs);
    g.bytes += Number(row.bytes);
    g.storedBytes += Number(row.storedBytes);
    groups.set(key, g);
  }
  const kinds = [...groups.values()].map((g) => {
    const hours = g.durationMs / 3_600_000;
    const mbPerHour = g.storedBytes / hours / 1e6;
    return {
      ...g,
      mbPerCallHour: mbPerHour,
      plaintextMbPerCallHour: g.bytes / hours / 1e6,
      encryptionOverhead: g.storedBytes / g.bytes - 1,
      ratioToMiaRec: mbPerHour / MIAREC_MB_PER_HOUR,
      meetsGoal: mbPerHour <= GOAL_MB_PER_HOUR,
    };
  });
  const stored = rows.reduce((sum, r) => sum + Number(r.storedBytes), 0);
  return {
    goalMbPerCallHour: GOAL_MB_PER_HOUR,
    miaRecMbPerCallHour: MIAREC_MB_PER_HOUR,
    kinds,
    disk: { ...bytesOnDisk(recordingsDir), storedBytesInDatabase: stored, recordingsInDatabase: rows.length },
  };
}

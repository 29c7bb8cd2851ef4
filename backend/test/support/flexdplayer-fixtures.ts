import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tone, wavFile } from '../../src/platform/transcoder/testing/signals';
import { HttpClient } from './http-client';
import { eventually } from './store-probes';

// What the FlexDPlayer tests share: carrier-like recordings (WAV, AMR, 3GP, M4A) with CSV sidecars,
// a watched folder outside the appliance's data, and a scan-until-settled helper.

export const MOBILE = '09012345678';
export const MOBILE_E164 = '+819012345678';

/** A G.711 µ-law WAV of `seconds` (a tone, so it is real audio). */
export const ulawWav = (seconds: number, hz = 440) => wavFile('mulaw', 8000, [tone(hz, 8000, seconds)]);

/**
 * AMR-NB (12.2 kbit/s) or AMR-WB (23.85 kbit/s) frames: Debian's ffmpeg decodes AMR but has no AMR
 * encoder, so the frames are written here (every bit pattern is a valid speech frame) and ffmpeg
 * wraps them into 3GP when asked. 50 frames per second.
 */
export function amrFile(seconds: number, wideband = false): Buffer {
  const frames: Buffer[] = [Buffer.from(wideband ? '#!AMR-WB\n' : '#!AMR\n')];
  const [mode, size] = wideband ? [8, 60] : [7, 31];
  for (let i = 0; i < seconds * 50; i++) frames.push(Buffer.from([(mode << 3) | 4]), randomBytes(size));
  return Buffer.concat(frames);
}

function ffmpeg(args: string[], out: string): Buffer {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, out]);
  return readFileSync(out);
}

/** A 3GP file holding AMR-NB, made by ffmpeg from our AMR frames. */
export function amr3gp(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'fdp-fixture-'));
  writeFileSync(join(dir, 'in.amr'), amrFile(seconds));
  return ffmpeg(['-f', 'amr', '-i', join(dir, 'in.amr'), '-c', 'copy'], join(dir, 'out.3gp'));
}

/** An M4A (AAC-LC) tone encoded by ffmpeg. */
export function m4a(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'fdp-fixture-'));
  return ffmpeg(
    ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=16000`, '-c:a', 'aac', '-b:a', '32k'],
    join(dir, 'out.m4a'),
  );
}

/** A CSV sidecar in the default profile's columns. */
export function csvSidecar(f: {
  own: string;
  other: string;
  direction: string;
  start: string;
  duration?: number;
  callId?: string;
}) {
  return [
    'own_number,other_number,direction,start_time,duration,call_id',
    `${f.own},${f.other},${f.direction},${f.start},${f.duration ?? ''},${f.callId ?? ''}`,
  ].join('\r\n');
}

/** A folder outside the app's data directory, as a carrier-facing NFS mount would be. */
export const watchedFolder = () => mkdtempSync(join(tmpdir(), 'fdp-watched-'));

/**
 * Scans a connector until nothing is pending, then counts its file records by status (the background
 * scanner may have taken some files first: scans of one connector run one after another, so once a
 * scan finds nothing pending every earlier one has finished).
 */
export async function scanUntilSettled(admin: HttpClient, connectorId: string) {
  await eventually(
    async () => {
      const res = await admin.post(`/api/v1/flexdplayer/connectors/${connectorId}/scan`);
      if (res.status !== 200) throw new Error(`scan: ${res.status} ${res.text}`);
      return res.body.summary.pending === 0 ? true : undefined;
    },
    `connector ${connectorId} to settle`,
    30_000,
  );
  const files = (await admin.get(`/api/v1/flexdplayer/files?connectorId=${connectorId}&limit=500`)).body as Array<
    Record<string, unknown>
  >;
  const count = (status: string) => files.filter((f) => f['status'] === status).length;
  return {
    imported: count('imported'),
    duplicates: count('duplicate'),
    failed: count('failed'),
    quarantined: count('quarantined'),
    files: files.filter((f) => f['status'] === 'imported'),
  };
}

export async function folderConnector(
  admin: HttpClient,
  name: string,
  path: string,
  extra: Record<string, unknown> = {},
) {
  const res = await admin.post('/api/v1/flexdplayer/connectors', {
    type: 'folder',
    name,
    folder: { path },
    settleSeconds: 1,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`connector: ${res.status} ${res.text}`);
  return res.body as { id: string; scanDir: string };
}

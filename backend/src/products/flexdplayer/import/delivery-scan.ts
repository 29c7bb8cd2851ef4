import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KEPT_FOLDERS } from '../flexdplayer-paths';
import { sidecarFormatOf } from '../mapping/sidecar-parser';

export const AUDIO_EXTENSIONS = ['wav', 'mp3', 'amr', 'awb', '3gp', '3ga', 'm4a', 'aac', 'mp4', 'ogg', 'opus'];
const MARKERS = ['done', 'complete'];
/** Names writers use for files in flight: never touched. */
const IN_FLIGHT = /^\.|\.(part|partial|tmp|filepart|crdownload|uploading)$/i;

/** One recording as delivered: its audio, its sidecar and completion markers if any. */
export interface Delivery {
  dir: string;
  audioName: string;
  sidecarName: string | null;
  markerNames: string[];
  /** Size and mtime of audio and sidecar: unchanged across scans means the writer is done. */
  signature: string;
  /** Newest mtime of its files (ms). */
  mtimeMs: number;
}

const extensionOf = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
const stemOf = (name: string) => name.replace(/\.[A-Za-z0-9]+$/, '');

/**
 * The deliveries in a folder: audio files by extension, each paired with the sidecar of the same
 * base name (.csv/.json/.xml) and with `<name>.done`/`.complete` or `<base>.done` markers.
 * Files of no known kind are returned in `strays` so they are reported, not left unseen.
 */
export async function listDeliveries(dir: string): Promise<{ deliveries: Delivery[]; strays: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files = entries.filter((e) => e.isFile() && !IN_FLIGHT.test(e.name)).map((e) => e.name);
  const names = new Set(files);
  const used = new Set<string>();
  const deliveries: Delivery[] = [];
  for (const name of files) {
    if (!AUDIO_EXTENSIONS.includes(extensionOf(name))) continue;
    const stem = stemOf(name);
    const sidecarName = files.find((f) => f !== name && stemOf(f) === stem && sidecarFormatOf(f)) ?? null;
    const markerNames = MARKERS.flatMap((m) => [`${name}.${m}`, `${stem}.${m}`]).filter((m) => names.has(m));
    const stats = await Promise.all(
      [name, sidecarName].map((f) => (f ? stat(join(dir, f)).catch(() => null) : Promise.resolve(null))),
    );
    if (!stats[0]) continue; // gone between readdir and stat
    used.add(name);
    if (sidecarName) used.add(sidecarName);
    markerNames.forEach((m) => used.add(m));
    deliveries.push({
      dir,
      audioName: name,
      sidecarName,
      markerNames,
      signature: stats.map((s) => (s ? `${s.size}:${s.mtimeMs}` : '-')).join('|'),
      mtimeMs: Math.max(...stats.map((s) => s?.mtimeMs ?? 0)),
    });
  }
  // Sidecars and markers waiting for their audio are not strays.
  const strays = files.filter(
    (f) => !used.has(f) && !sidecarFormatOf(f) && !MARKERS.includes(extensionOf(f)) && !KEPT_FOLDERS.includes(f),
  );
  return { deliveries, strays };
}

/**
 * Remembers what each delivery looked like when first seen unchanged: ready once a completion marker
 * is there, or once two scans at least `settleMs` apart saw the same sizes and mtimes.
 */
export class StabilityTracker {
  private readonly seen = new Map<string, { signature: string; since: number }>();

  ready(key: string, d: Delivery, settleMs: number, now = Date.now()): boolean {
    if (d.markerNames.length) return true;
    const before = this.seen.get(key);
    if (!before || before.signature !== d.signature) {
      this.seen.set(key, { signature: d.signature, since: now });
      return false;
    }
    return now - before.since >= settleMs;
  }

  forget(key: string): void {
    this.seen.delete(key);
  }

  /** Drops what no longer exists, so the map stays as small as the inboxes. */
  keepOnly(prefix: string, keys: Set<string>): void {
    for (const key of this.seen.keys()) if (key.startsWith(prefix) && !keys.has(key)) this.seen.delete(key);
  }
}

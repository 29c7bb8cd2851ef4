import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A name not yet taken in `dir`: `name`, else `name~2`, `name~3`... before the extension. */
export function freeName(dir: string, name: string): string {
  if (!existsSync(join(dir, name))) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}~${n}${ext}`;
    if (!existsSync(join(dir, candidate))) return candidate;
  }
}

/** The stored names of a delivery's audio and sidecar once moved into `to`. */
export interface Moved {
  audio: string;
  sidecar: string | null;
}

/**
 * Moves audio, sidecar and markers from one folder to another (rename: same file system, atomic per
 * file). The sidecar keeps the audio's new stem, so the pair still goes together in failed/.
 */
export async function moveDelivery(
  from: string,
  to: string,
  files: { audio: string; sidecar: string | null; markers: string[] },
): Promise<Moved> {
  await mkdir(to, { recursive: true });
  const audio = freeName(to, files.audio);
  await rename(join(from, files.audio), join(to, audio));
  let sidecar: string | null = null;
  if (files.sidecar) {
    const stem = audio.replace(/\.[^.]+$/, '');
    sidecar = freeName(to, `${stem}${files.sidecar.slice(files.sidecar.lastIndexOf('.'))}`);
    await rename(join(from, files.sidecar), join(to, sidecar));
  }
  for (const marker of files.markers) await rm(join(from, marker), { force: true });
  return { audio, sidecar };
}

/** `<name>.error.json` beside a failed file: why, in words and per field. */
export async function writeErrorFile(dir: string, audio: string, body: Record<string, unknown>): Promise<void> {
  await writeFile(
    join(dir, `${audio}.error.json`),
    `${JSON.stringify({ ...body, at: new Date().toISOString() }, null, 2)}\n`,
  );
}

export async function removeErrorFile(dir: string, audio: string): Promise<void> {
  await rm(join(dir, `${audio}.error.json`), { force: true });
}

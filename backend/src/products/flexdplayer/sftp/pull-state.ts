import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FetchedFile {
  size: number;
  /** Remote mtime, seconds. */
  mtime: number;
  fetchedAt: string;
}

/** What a puller must not forget across restarts. */
export interface PullState {
  /** The host key seen on first contact, pinned from then on when no fingerprint was configured. */
  hostKeyFingerprint?: string;
  /** Remote file name -> the version already fetched; a new size or mtime is a new delivery. */
  fetched: Record<string, FetchedFile>;
}

/** Where a puller keeps its state; the lead may back this with the database instead of a file. */
export interface PullStateStore {
  load(): Promise<PullState>;
  save(state: PullState): Promise<void>;
}

/** A JSON file (kept outside the inbox, or the importer would see it), replaced atomically on save. */
export class JsonFilePullStateStore implements PullStateStore {
  constructor(private readonly path: string) {}

  async load(): Promise<PullState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { fetched: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<PullState>;
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof parsed.fetched !== 'object' ||
      parsed.fetched === null
    ) {
      throw new Error(`pull state file ${this.path} is not a puller state (no "fetched" object)`);
    }
    return { hostKeyFingerprint: parsed.hostKeyFingerprint, fetched: parsed.fetched };
  }

  async save(state: PullState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, this.path);
  }
}

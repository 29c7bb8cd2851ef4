import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LocalMasterKeys } from './key-provider-factory';
import { loadOrCreateSecretFile } from './secret-file';
import { SecretBox, sealedVersion } from './secret-box';

const MASTER_KEY_BYTES = 32;

/** Where master key version N lives: v1 is MASTER_KEY_FILE itself, later ones sit beside it as `.vN`. */
export function masterKeyPath(baseFile: string, version: number): string {
  return version === 1 ? baseFile : `${baseFile}.v${version}`;
}

/** The versions present on disk, oldest first. */
export function masterKeyVersionsOnDisk(baseFile: string): number[] {
  const dir = dirname(baseFile);
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${basename(baseFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.v([1-9][0-9]{0,8})$`);
  const later = readdirSync(dir).flatMap((f) => {
    const m = pattern.exec(f);
    return m ? [Number(m[1])] : [];
  });
  return [...(existsSync(baseFile) ? [1] : []), ...later].sort((a, b) => a - b);
}

/**
 * The local master keys (every version on disk; the newest is current) and the token-signing secret,
 * loaded at start-up. Rotation adds a version (`addVersion`), re-wraps the tenants' data keys and
 * re-seals the stored secrets under it; an old version's file can then be removed.
 */
@Injectable()
export class KeyRing {
  private readonly versions = new Map<number, Buffer>();
  private current = 1;
  readonly sessionSecret: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const onDisk = masterKeyVersionsOnDisk(config.masterKeyFile);
    // A fresh installation gets v1; once a later version exists a missing v1 means it was retired, not lost.
    for (const version of onDisk.length ? onDisk : [1]) this.load(version);
    this.sessionSecret =
      config.sessionSecret ?? loadOrCreateSecretFile(`${config.dataDir}/session.secret`, 48).toString('base64');
  }

  /** The current master key (what new wrappings use). */
  get masterKey(): Buffer {
    return this.versions.get(this.current) as Buffer;
  }

  /** MASTER_KEY_FILE: version 1, and the name later versions are derived from. */
  get localKeysFile(): string {
    return this.config.masterKeyFile;
  }

  get currentVersion(): number {
    return this.current;
  }

  get localKeys(): LocalMasterKeys {
    return { keys: new Map(this.versions), current: this.current };
  }

  /** Seals installation secrets (SMTP, S3) under the current master key, opens any loaded version. */
  readonly settingsBox = {
    seal: (plain: string): string => new SecretBox(this.masterKey, 'settings', this.current).seal(plain),
    open: (sealed: string): string => {
      const version = sealedVersion(sealed) ?? 0;
      const key = this.versions.get(version);
      if (!key) throw new Error(`sealed secret: master key v${version} is not loaded`);
      return new SecretBox(key, 'settings', version).open(sealed);
    },
    versionOf: (sealed: string): number | null => sealedVersion(sealed),
  };

  /** Makes (or loads) master key version `version` and makes it current. */
  addVersion(version: number): string {
    const path = this.load(version);
    this.current = Math.max(this.current, version);
    return path;
  }

  private load(version: number): string {
    const path = masterKeyPath(this.config.masterKeyFile, version);
    this.versions.set(version, loadOrCreateSecretFile(path, MASTER_KEY_BYTES));
    this.current = Math.max(this.current, version);
    return path;
  }
}

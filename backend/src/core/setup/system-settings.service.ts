import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { KeyRing } from '../../platform/crypto/key-ring';
import { SystemSetting } from './system-setting.entity';

/** Fields of settings objects that are sealed at rest and masked in every answer (privateKeyPem: evidence key). */
export const SECRET_FIELDS = ['password', 'secretAccessKey', 'privateKeyPem'] as const;

export const SETTING = {
  adminCreated: 'setup.adminCreated',
  complete: 'setup.complete',
  deploymentMode: 'deployment.mode',
  storage: 'storage',
  encryption: 'encryption',
  mail: 'mail',
} as const;

/** Installation-wide JSON settings; fields named in `secretFields` are sealed with the master key. */
@Injectable()
export class SystemSettingsService {
  private readonly cache = new Map<string, unknown>();

  constructor(
    @InjectRepository(SystemSetting) private readonly settings: Repository<SystemSetting>,
    private readonly keys: KeyRing,
  ) {}

  async get<T>(key: string): Promise<T | null> {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const row = await this.settings.findOne({ where: { key } });
    const value = row ? this.unseal(JSON.parse(row.value)) : null;
    if (value !== null) this.cache.set(key, value);
    return value as T | null;
  }

  async set<T extends object | boolean | string>(key: string, value: T, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(SystemSetting) : this.settings;
    await repo.save({ key, value: JSON.stringify(this.seal(value)), updatedAt: new Date() });
    this.cache.set(key, value);
  }

  /** Inserts only if absent; false when another request got there first (a cross-process mutex). */
  async claim(key: string, manager: EntityManager): Promise<boolean> {
    try {
      await manager.getRepository(SystemSetting).insert({ key, value: 'true', updatedAt: new Date() });
      return true;
    } catch (error) {
      if (/duplicate|unique|constraint/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  /**
   * Re-seals every stored secret under the current master key (after a rotation), so the old key's
   * file can be removed. Answers how many secrets were re-sealed.
   */
  async resealAll(): Promise<number> {
    let count = 0;
    for (const row of await this.settings.find()) {
      const stored = JSON.parse(row.value) as unknown;
      if (!stored || typeof stored !== 'object') continue;
      const fields = Object.entries(stored as Record<string, unknown>);
      const old = fields.filter(
        ([, v]) =>
          v &&
          typeof v === 'object' &&
          'sealed' in v &&
          this.keys.settingsBox.versionOf((v as { sealed: string }).sealed) !== this.keys.currentVersion,
      );
      if (!old.length) continue;
      await this.settings.save({
        key: row.key,
        value: JSON.stringify(this.seal(this.unseal(stored))),
        updatedAt: new Date(),
      });
      this.cache.delete(row.key);
      count += old.length;
    }
    return count;
  }

  forget(key: string): void {
    this.cache.delete(key);
  }

  private seal(value: unknown): unknown {
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of SECRET_FIELDS) {
      if (typeof out[field] === 'string' && out[field])
        out[field] = { sealed: this.keys.settingsBox.seal(out[field] as string) };
    }
    return out;
  }

  private unseal(value: unknown): unknown {
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [field, v] of Object.entries(out)) {
      if (v && typeof v === 'object' && 'sealed' in v)
        out[field] = this.keys.settingsBox.open((v as { sealed: string }).sealed);
    }
    return out;
  }
}

export const MASK = '********';

/** Copies a settings object with its secrets replaced by a mask, for any answer the browser sees. */
export function masked<T extends object | null>(value: T): T {
  if (!value) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of SECRET_FIELDS) if (out[field]) out[field] = MASK;
  return out as T;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SystemSettingsService } from '../../../core/setup/system-settings.service';
import { keyFingerprint } from './evidence-format';
import { EvidenceSigner } from './evidence-zip-writer';

const SETTING_KEY = 'evidence.signingKey';
/** Claimed by the one process that creates the key (the settings' insert-only mutex). */
const CREATION_CLAIM = 'evidence.signingKey.created';

interface StoredEvidenceKey {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  /** PKCS#8 PEM; a secret field of the settings, so sealed under the master key and re-sealed on rotation. */
  privateKeyPem: string;
  createdAt: string;
}

export interface EvidencePublicKey {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  fingerprint: string;
  createdAt: string;
}

/**
 * The server's Ed25519 evidence key, made on first use. It lives in the system settings (its private
 * half sealed under the master key, like the other secrets there) rather than in a file under
 * DATA_DIR, so every API and worker process of one installation signs with the one key that
 * /api/v1/evidence/public-key publishes, and a database backup carries it along.
 */
@Injectable()
export class EvidenceKeyService {
  private signerCache: EvidenceSigner | null = null;

  constructor(
    private readonly settings: SystemSettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async publicKey(): Promise<EvidencePublicKey> {
    const stored = await this.stored();
    return {
      algorithm: stored.algorithm,
      publicKeyPem: stored.publicKeyPem,
      fingerprint: keyFingerprint(stored.publicKeyPem),
      createdAt: stored.createdAt,
    };
  }

  async signer(): Promise<EvidenceSigner> {
    if (this.signerCache) return this.signerCache;
    const stored = await this.stored();
    const privateKey = createPrivateKey(stored.privateKeyPem);
    // A key pair that does not belong together would sign exports nobody can verify: refuse it.
    const fingerprint = keyFingerprint(createPublicKey(privateKey));
    if (fingerprint !== keyFingerprint(stored.publicKeyPem))
      throw new Error('evidence key: the stored public key does not belong to the private key');
    this.signerCache = { privateKey, publicKeyPem: stored.publicKeyPem, fingerprint };
    return this.signerCache;
  }

  private async stored(): Promise<StoredEvidenceKey> {
    const existing = await this.settings.get<StoredEvidenceKey>(SETTING_KEY);
    if (existing) return existing;
    await this.dataSource.transaction(async (manager) => {
      // When two processes race, the claim lets exactly one of them write a key; the other reads it.
      if (!(await this.settings.claim(CREATION_CLAIM, manager))) return;
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      await this.settings.set<StoredEvidenceKey>(
        SETTING_KEY,
        {
          algorithm: 'Ed25519',
          publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          createdAt: new Date().toISOString(),
        },
        manager,
      );
    });
    this.settings.forget(SETTING_KEY);
    const created = await this.settings.get<StoredEvidenceKey>(SETTING_KEY);
    if (!created) throw new Error('evidence key: another process is creating it; try again');
    return created;
  }
}

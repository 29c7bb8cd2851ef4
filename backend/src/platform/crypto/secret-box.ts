import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for small secrets kept in the database (SMTP and S3 passwords).
 * The key is derived from the master key per purpose, so one leaked derived key opens nothing else.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `version` labels what is sealed (the master-key version for installation secrets). */
  constructor(
    masterKey: Buffer,
    purpose: string,
    private readonly version = 1,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `appliance:${purpose}`, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      `v${this.version}`,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== `v${this.version}` || !iv || !tag || body === undefined)
      throw new Error('sealed secret: unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** Reads the version label of a sealed secret ("v2.…" -> 2), or null when it is not one. */
export function sealedVersion(sealed: string): number | null {
  const match = /^v([1-9][0-9]{0,8})\./.exec(sealed);
  return match ? Number(match[1]) : null;
}

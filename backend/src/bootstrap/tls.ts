import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig } from '../config/app-config';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** The certificate the server speaks HTTPS with: given files, or a self-signed one made once. */
export async function loadTls(config: AppConfig): Promise<TlsMaterial | null> {
  if (!config.tls.enabled) return null;
  if (config.tls.certFile && config.tls.keyFile) {
    return { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'self-signed.crt');
  const keyFile = join(dir, 'self-signed.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: false },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    } as never);
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    writeFileSync(certFile, pems.cert, { mode: 0o644 });
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

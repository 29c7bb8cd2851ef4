import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { utils } from 'ssh2';

export type HostKeyType = 'ed25519' | 'rsa';

export interface HostKey {
  /** The private key in OpenSSH format, as ssh2's server takes it. */
  privateKey: Buffer;
  /** OpenSSH's `SHA256:...` fingerprint, what `ssh-keygen -lf` prints and a sender pins. */
  fingerprint: string;
}

/** OpenSSH's fingerprint of a public key blob (the wire format): SHA256, base64 without padding. */
export function sshFingerprint(publicKeyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '');
}

/**
 * Reads the server's host key, generating it on first start. The key must persist: senders pin it,
 * and a new key on every restart would look exactly like a man-in-the-middle to them.
 */
export async function loadOrCreateHostKey(path: string, type: HostKeyType = 'ed25519'): Promise<HostKey> {
  let privateKey: Buffer;
  try {
    const info = await stat(path);
    // Same rule as OpenSSH: a private key others can read is not private any more.
    if ((info.mode & 0o077) !== 0) {
      throw new Error(
        `hostKeyPath ${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    privateKey = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const generated =
      type === 'rsa' ? utils.generateKeyPairSync('rsa', { bits: 3072 }) : utils.generateKeyPairSync('ed25519');
    privateKey = Buffer.from(generated.private);
    // 'wx': if two processes start at once, the second fails instead of overwriting the first's key.
    await writeFile(path, privateKey, { mode: 0o600, flag: 'wx' });
  }
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error)
    throw new Error(`hostKeyPath ${path} is not a private key ssh2 can read: ${parsed.message}`);
  return { privateKey, fingerprint: sshFingerprint(parsed.getPublicSSH()) };
}

import { utils, type ParsedKey } from 'ssh2';
import { verifyPassword as verifyUserPassword } from '../../../core/auth/password';

/** One connector's SFTP login, as the connector store hands it to the server. */
export interface SftpAccount {
  tenantId: string;
  connectorId: string;
  /** Absolute path of the connector's inbox: the account's '/' (chroot). */
  inboxDir: string;
  /** An argon2id hash made by core/auth's hashPassword, or null when only keys may log in. */
  passwordHash: string | null;
  /** OpenSSH public key lines ("ssh-ed25519 AAAA... comment"). */
  authorizedKeys: string[];
}

export type FindSftpAccount = (username: string) => Promise<SftpAccount | null>;

/** Checks a password against a stored hash. Note the argument order: hash first. */
export type VerifyPassword = (hash: string, plain: string) => Promise<boolean>;

/** The default: the same argon2id scheme as the appliance's user passwords. */
export const verifyArgon2Password: VerifyPassword = (hash, plain) => verifyUserPassword(plain, hash);

/**
 * Parses one authorized key line, for validating connector settings before they are saved.
 * Throws an error naming the field and the reason.
 */
export function parseAuthorizedKey(line: string, field = 'authorizedKeys'): ParsedKey {
  const trimmed = line.trim();
  if (!/^(ssh-|ecdsa-sha2-)/.test(trimmed)) {
    throw new Error(
      `${field}: expected an OpenSSH public key line starting with its type (ssh-ed25519, ssh-rsa, ecdsa-sha2-...)`,
    );
  }
  const parsed = utils.parseKey(trimmed);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) {
    throw new Error(`${field}: not a public key ssh2 can read${key instanceof Error ? ` (${key.message})` : ''}`);
  }
  if (key.isPrivateKey()) throw new Error(`${field}: this is a private key; paste the public key (.pub) instead`);
  return key;
}

import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, normalize, sep } from 'node:path';
import type { FieldProblem } from '../../../platform/http/field-errors';
import type { ConnectorType } from './connector.entity';
import type { FolderDto, SftpDropDto, SftpPullDto } from './connector.dto';

// Checks of each connector type's settings beyond their types (the DTO's), every problem named by
// its field; the service turns the accepted settings into columns.

export interface SftpDropSettings {
  authorizedKeys: string[];
}
export interface SftpPullSettings {
  host: string;
  port: number;
  username: string;
  remoteDir: string;
  pollIntervalSeconds: number;
  hostKeySha256: string | null;
}
/** Kept in a pull connector's settings beside the sealed secret: which of the two it holds. */
export interface SecretFlags {
  passwordSet: boolean;
  privateKeySet: boolean;
}
export interface FolderSettings {
  path: string;
}

export const SETTINGS_KEY: Record<ConnectorType, 'sftpDrop' | 'sftpPull' | 'folder' | null> = {
  'sftp-drop': 'sftpDrop',
  'sftp-pull': 'sftpPull',
  folder: 'folder',
  'https-push': null,
};

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const HOST =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9a-fA-F:.]+\]?$/;
const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];
/** System folders a watched folder may never be (nor be inside). */
const FORBIDDEN_ROOTS = ['/etc', '/proc', '/sys', '/dev', '/boot', '/root', '/bin', '/sbin', '/lib', '/usr', '/run'];
export const SFTP_PASSWORD_MIN = 12;

/** An OpenSSH public key line whose blob really holds the key type it claims; null when fine. */
export function authorizedKeyProblem(line: string): string | null {
  const [type, blob] = line.trim().split(/\s+/);
  if (!KEY_TYPES.includes(type)) return `must start with one of ${KEY_TYPES.slice(0, 5).join(', ')}`;
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return 'the key data is not base64';
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length <= 0 || bytes.toString('latin1', 4, 4 + length) !== type) return `the key data is not an ${type} key`;
  return null;
}

export function sftpDropProblems(d: SftpDropDto, creating: boolean, hasPassword: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (creating || d.username !== undefined) {
    if (!d.username || !USERNAME.test(d.username))
      out.push({ field: 'sftpDrop.username', message: '3-64 of a-z 0-9 . _ - starting with a letter or digit' });
  }
  if (typeof d.password === 'string' && (d.password.length < SFTP_PASSWORD_MIN || /\s/.test(d.password)))
    out.push({ field: 'sftpDrop.password', message: `at least ${SFTP_PASSWORD_MIN} characters, no spaces` });
  (d.authorizedKeys ?? []).forEach((k, i) => {
    const problem = authorizedKeyProblem(k);
    if (problem) out.push({ field: `sftpDrop.authorizedKeys[${i}]`, message: problem });
  });
  const password = d.password === undefined ? hasPassword : !!d.password;
  if (!out.length && !password && !(d.authorizedKeys?.length ?? 0))
    out.push({ field: 'sftpDrop', message: 'needs a password or at least one authorized key' });
  return out;
}

export function sftpPullProblems(d: SftpPullDto, creating: boolean, hadSecret: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if ((creating || d.host !== undefined) && (!d.host || !HOST.test(d.host)))
    out.push({ field: 'sftpPull.host', message: 'must be a host name or IP address' });
  if ((creating || d.username !== undefined) && !d.username)
    out.push({ field: 'sftpPull.username', message: 'is required' });
  if (d.privateKey && !/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(d.privateKey))
    out.push({
      field: 'sftpPull.privateKey',
      message: 'must be a PEM/OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)',
    });
  if (d.remoteDir !== undefined && (d.remoteDir.includes('\0') || !d.remoteDir.trim()))
    out.push({ field: 'sftpPull.remoteDir', message: 'must be a directory path' });
  if (d.hostKeySha256 && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(d.hostKeySha256))
    out.push({ field: 'sftpPull.hostKeySha256', message: 'must look like SHA256:<43 base64 characters>' });
  const secret =
    (d.password === undefined && d.privateKey === undefined && hadSecret) || !!d.password || !!d.privateKey;
  if (!secret) out.push({ field: 'sftpPull', message: 'needs a password or a private key' });
  return out;
}

/**
 * A watched folder: absolute, an existing directory, outside the appliance's own data and the
 * system's folders (a tenant admin must not point the importer at other tenants' inboxes or /etc).
 */
export function folderProblems(d: FolderDto, dataDir: string): { problems: FieldProblem[]; path: string } {
  const fail = (message: string) => ({ problems: [{ field: 'folder.path', message }], path: d.path });
  if (!isAbsolute(d.path) || d.path.includes('\0')) return fail('must be an absolute path');
  if (normalize(d.path).split(sep).includes('..')) return fail('must not contain ..');
  if (!existsSync(d.path) || !statSync(d.path).isDirectory()) return fail('does not exist or is not a directory');
  const real = realpathSync(d.path);
  const inside = (root: string) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  const data = existsSync(dataDir) ? realpathSync(dataDir) : dataDir;
  if (inside(data) || data.startsWith(real + sep)) return fail('must be outside the appliance data directory');
  if (real === '/' || FORBIDDEN_ROOTS.some(inside)) return fail('must not be a system folder');
  return { problems: [], path: real };
}

/** Two watched folders may not overlap: one would import the other's files. */
export function foldersOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(b + sep) || b.startsWith(a + sep);
}

import { timingSafeEqual } from 'node:crypto';
import type { AuthContext } from 'ssh2';
import { DUMMY_HASH_PROMISE } from '../../../core/auth/password';
import type { LoginThrottle } from './login-throttle';
import { parseAuthorizedKey, type FindSftpAccount, type SftpAccount, type VerifyPassword } from './sftp-account';

export type SftpLoginFailure = 'bad-credentials' | 'unknown-user' | 'locked-out' | 'lookup-error';

/** One login attempt that decided something (key probes without a signature are not reported). */
export interface SftpLoginEvent {
  username: string;
  remoteAddress: string;
  method: 'password' | 'publickey';
  success: boolean;
  /** Why it failed; absent on success. */
  reason?: SftpLoginFailure;
  /** The attempt that locked this address + user name out. */
  lockedOut?: boolean;
  tenantId?: string;
  connectorId?: string;
}

export interface SftpAuthDeps {
  findSftpAccount: FindSftpAccount;
  verifyPassword: VerifyPassword;
  throttle: LoginThrottle;
  onLogin?: (event: SftpLoginEvent) => void;
}

const OFFERED_METHODS: AuthContext['method'][] = ['publickey', 'password'];

/**
 * Decides one ssh2 authentication request: accepts or rejects `ctx` and resolves with the account
 * once the client is fully authenticated (null otherwise, including for key probes that only ask
 * whether a key would be accepted).
 */
export async function authenticateSftpLogin(
  ctx: AuthContext,
  remoteAddress: string,
  deps: SftpAuthDeps,
): Promise<SftpAccount | null> {
  if (ctx.method !== 'password' && ctx.method !== 'publickey') {
    ctx.reject(OFFERED_METHODS); // 'none' is how clients ask which methods exist
    return null;
  }
  const method = ctx.method;
  const username = ctx.username;
  const report = (success: boolean, extra: Partial<SftpLoginEvent> = {}) =>
    deps.onLogin?.({ username, remoteAddress, method, success, ...extra });

  if (deps.throttle.lockedUntil(remoteAddress, username) !== null) {
    ctx.reject(OFFERED_METHODS);
    report(false, { reason: 'locked-out' });
    return null;
  }
  let account: SftpAccount | null;
  try {
    account = await deps.findSftpAccount(username);
  } catch {
    ctx.reject(OFFERED_METHODS);
    report(false, { reason: 'lookup-error' });
    return null;
  }

  let accepted: boolean;
  if (ctx.method === 'password') {
    // Always run one hash verification so an unknown user name costs the same time as a known one.
    const hash = account?.passwordHash ?? (await DUMMY_HASH_PROMISE);
    const matches = await deps.verifyPassword(hash, ctx.password).catch(() => false);
    accepted = matches && !!account?.passwordHash;
  } else {
    const key = account ? findAuthorizedKey(account.authorizedKeys, ctx.key.data) : undefined;
    if (key && !ctx.signature) {
      ctx.accept(); // the client only asked whether this key would do; it signs next
      return null;
    }
    if (!ctx.signature) {
      ctx.reject(OFFERED_METHODS); // an unknown key probe is not a guess: clients try each key they hold
      return null;
    }
    accepted = !!key && !!ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
  }

  if (accepted && account) {
    deps.throttle.recordSuccess(remoteAddress, username);
    ctx.accept();
    report(true, { tenantId: account.tenantId, connectorId: account.connectorId });
    return account;
  }
  const lockedOut = deps.throttle.recordFailure(remoteAddress, username);
  ctx.reject(OFFERED_METHODS);
  report(false, {
    reason: account ? 'bad-credentials' : 'unknown-user',
    ...(lockedOut ? { lockedOut } : {}),
    ...(account ? { tenantId: account.tenantId, connectorId: account.connectorId } : {}),
  });
  return null;
}

/** The authorized key whose wire blob equals the offered one, compared in constant time. */
function findAuthorizedKey(authorizedKeys: string[], offered: Buffer) {
  let found: ReturnType<typeof parseAuthorizedKey> | undefined;
  for (const line of authorizedKeys) {
    let key: ReturnType<typeof parseAuthorizedKey>;
    try {
      key = parseAuthorizedKey(line);
    } catch {
      continue; // a malformed stored key must not lock out the account's other keys
    }
    const blob = key.getPublicSSH();
    // Keep looping after a match so timing does not tell which key position matched.
    if (blob.length === offered.length && timingSafeEqual(blob, offered)) found ??= key;
  }
  return found;
}

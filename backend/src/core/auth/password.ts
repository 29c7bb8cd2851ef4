import { argon2id, argon2Verify } from 'hash-wasm';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30-60 ms here, costly for a guesser.
const PARAMS = { memorySize: 19456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2id({ ...PARAMS, password, salt: randomBytes(16), outputType: 'encoded' });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(12).toString('hex'));

export const PASSWORD_MIN_LENGTH = 10;

/** The password policy; returns what is wrong, in plain words, or an empty list. */
export function passwordPolicyProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > 128) problems.push('must be at most 128 characters');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('must mix at least 3 of: lower case, upper case, digits, symbols');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && password.toLowerCase().includes(local)) {
    problems.push('must not contain the login name');
  }
  return problems;
}

/** A temporary password that satisfies the policy (for invites and resets). */
export function generateTemporaryPassword(): string {
  const raw = randomBytes(12).toString('base64url');
  return `Tmp-${raw}7a`;
}

import { accessSync, constants, statSync } from 'node:fs';

/** What the capture service needs to know, read once from the environment. */
export interface CaptureConfig {
  /** Base URL of the appliance this site uploads to (https, except on loopback for development). */
  serverUrl: URL;
  /** An `ak_<prefix>_<secret>` key created by a tenant admin under Settings > API keys. */
  apiKey: string;
  /** The network interface on the mirror (SPAN) port; `any` listens on all of them. */
  captureInterface: string;
  /** Extra CA certificate (PEM) to trust for the server, e.g. its self-signed certificate. */
  caFile?: string;
}

export const captureEnvDescriptions = {
  SERVER_URL: 'Base URL of the appliance, e.g. https://recorder.example.co.jp (required).',
  API_KEY: 'API key of the capture site, ak_<prefix>_<secret> (required; shown once when created).',
  CAPTURE_INTERFACE: 'Interface that receives the mirrored SIP/RTP traffic (default: any).',
  CA_FILE: 'PEM file with a CA or self-signed certificate to trust for SERVER_URL (optional).',
} as const;

export class CaptureConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid capture configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'CaptureConfigError';
  }
}

type CaptureEnv = Partial<Record<keyof typeof captureEnvDescriptions, string>>;

// Same shape as the backend issues: ak_ + 8 base64url characters, then a 43-character secret.
const API_KEY = /^ak_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;
// Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the terminating NUL).
const INTERFACE = /^[A-Za-z0-9_.:@-]{1,15}$/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** A readable regular file, or the reason it is not one. */
export type FileCheck = (path: string) => string | null;

export const checkReadableFile: FileCheck = (path) => {
  try {
    if (!statSync(path).isFile()) return 'is not a regular file';
    accessSync(path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
  }
};

/** Validates every variable and reports all problems at once, each naming its variable. */
export function loadCaptureConfig(
  source: NodeJS.ProcessEnv = process.env,
  checkFile: FileCheck = checkReadableFile,
): CaptureConfig {
  const env: CaptureEnv = {};
  for (const name of Object.keys(captureEnvDescriptions) as (keyof CaptureEnv)[]) {
    const value = source[name]?.trim();
    if (value) env[name] = value;
  }
  const problems: string[] = [];

  let serverUrl: URL | undefined;
  if (!env.SERVER_URL) {
    problems.push('SERVER_URL: required (e.g. https://recorder.example.co.jp)');
  } else {
    try {
      serverUrl = new URL(env.SERVER_URL);
    } catch {
      problems.push(`SERVER_URL: not a valid URL (${env.SERVER_URL})`);
    }
    if (serverUrl && serverUrl.protocol !== 'https:') {
      // Recordings are personal data: they only travel over TLS (terms Art. 8).
      if (!(serverUrl.protocol === 'http:' && LOOPBACK.test(serverUrl.hostname))) {
        problems.push('SERVER_URL: must start with https:// (plain http is allowed for localhost only)');
      }
    }
    if (serverUrl && (serverUrl.username || serverUrl.password)) {
      problems.push('SERVER_URL: must not contain credentials; use API_KEY');
    }
  }

  if (!env.API_KEY) {
    problems.push('API_KEY: required (create one under Settings > API keys)');
  } else if (!API_KEY.test(env.API_KEY)) {
    problems.push('API_KEY: must look like ak_<8 characters>_<43 characters>');
  }

  const captureInterface = env.CAPTURE_INTERFACE ?? 'any';
  if (!INTERFACE.test(captureInterface)) {
    problems.push(`CAPTURE_INTERFACE: not a valid interface name (${captureInterface})`);
  }

  if (env.CA_FILE) {
    const problem = checkFile(env.CA_FILE);
    if (problem) problems.push(`CA_FILE: ${env.CA_FILE} ${problem}`);
  }

  if (problems.length || !serverUrl || !env.API_KEY) throw new CaptureConfigError(problems);
  return { serverUrl, apiKey: env.API_KEY, captureInterface, caFile: env.CA_FILE };
}

/** The key's public prefix, safe to log; the secret part never is. */
export function apiKeyPrefix(apiKey: string): string {
  // Not split on '_': the base64url prefix may itself contain one.
  return apiKey.slice(0, 'ak_'.length + 8);
}

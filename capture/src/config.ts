import { accessSync, constants, statSync } from 'node:fs';
import { DirectionClassifier } from './calls/call-direction';
import { CAPTURE_OPUS_DEFAULTS } from './output/call-audio-encoder';
import { defaultEncodeWorkers } from './output/encode-worker-pool';

/** What the capture service needs to know, read once from the environment. */
export interface CaptureConfig {
  /** Base URL of the appliance this site uploads to (https, except on loopback for development). */
  serverUrl: URL;
  /** An `ak_<prefix>_<secret>` key created by a tenant admin for the site under FlexLog > sites > API keys. */
  apiKey: string;
  /** The network interface on the mirror (SPAN) port; `any` listens on all of them. */
  captureInterface: string;
  /** Extra CA certificate (PEM) to trust for the server, e.g. its self-signed certificate. */
  caFile?: string;
  /** BPF filter of the live capture. */
  captureFilter: string;
  /** Where calls wait, crash-safe, until the backend has them. */
  spoolDir: string;
  /** Cap of the spool; uploaded calls are evicted first, and an alert rises at 80 % held by the rest. */
  spoolMaxBytes: number;
  /** Until the site's configuration arrives from the backend: CIDR blocks of the site. */
  internalNetworks: string[];
  /** Until the site's configuration arrives: a regular expression internal extensions match in full. */
  extensionPattern?: string;
  muteDtmf: boolean;
  /** Worker threads that encode finished calls; 0 encodes in the packet thread (small boxes, tests). */
  encodeWorkers: number;
  /** libopus complexity of the recordings, 0-10: lower encodes faster (0 is about 4.5x faster than 5). */
  opusComplexity: number;
}

export const captureEnvDescriptions = {
  SERVER_URL: 'Base URL of the appliance, e.g. https://recorder.example.co.jp (required).',
  API_KEY: 'API key of the capture site, ak_<prefix>_<secret> (required; shown once when created).',
  CAPTURE_INTERFACE: 'Interface that receives the mirrored SIP/RTP traffic (default: any).',
  CA_FILE: 'PEM file with a CA or self-signed certificate to trust for SERVER_URL (optional).',
  CAPTURE_FILTER: 'BPF filter of the live capture (default: udp or tcp).',
  SPOOL_DIR: 'Directory where calls wait, crash-safe, until uploaded (default: /spool).',
  SPOOL_MAX_BYTES: 'Spool cap in bytes, or with K/M/G/T (default: 8G); an alert rises at 80 %.',
  INTERNAL_NETWORKS: "The site's CIDR blocks, comma-separated, until the backend's site configuration arrives.",
  EXTENSION_PATTERN: 'Regular expression of internal extensions, until the site configuration arrives.',
  MUTE_DTMF: 'true to silence DTMF tones in recordings (digits are still listed; default: false).',
  ENCODE_WORKERS:
    'Worker threads encoding finished calls, 0-64 (default: CPU cores - 1, at least 1; 0 = the packet thread).',
  OPUS_COMPLEXITY:
    'libopus complexity 0-10 of the recordings (default: 5); 0 encodes about 4.5x faster, for very busy sites.',
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
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const DEFAULT_SPOOL_BYTES = 8 * 2 ** 30;

/** Bytes of a size such as 8G, 500M or 1073741824, or null. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (!match) return null;
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[match[2].toUpperCase()]);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

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
    problems.push('API_KEY: required (create one for the site under FlexLog > sites > API keys)');
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

  const spoolMaxBytes = env.SPOOL_MAX_BYTES ? parseSize(env.SPOOL_MAX_BYTES) : DEFAULT_SPOOL_BYTES;
  if (spoolMaxBytes === null || spoolMaxBytes < 64 * 2 ** 20) {
    problems.push(`SPOOL_MAX_BYTES: must be a size of at least 64M, e.g. 8G (got ${env.SPOOL_MAX_BYTES})`);
  }
  const internalNetworks = (env.INTERNAL_NETWORKS ?? '')
    .split(',')
    .map((cidr) => cidr.trim())
    .filter(Boolean);
  try {
    new DirectionClassifier({ internalNetworks, extensionPattern: env.EXTENSION_PATTERN });
  } catch (error) {
    // The classifier names its rule (internalNetworks, extensionPattern): say which variable that is.
    problems.push(
      (error as Error).message
        .replace(/^internalNetworks/, 'INTERNAL_NETWORKS')
        .replace(/^extensionPattern/, 'EXTENSION_PATTERN'),
    );
  }
  const muteDtmf = (env.MUTE_DTMF ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(muteDtmf)) {
    problems.push(`MUTE_DTMF: must be true or false (got ${env.MUTE_DTMF})`);
  }

  const encodeWorkers = env.ENCODE_WORKERS === undefined ? defaultEncodeWorkers() : Number(env.ENCODE_WORKERS);
  if (!Number.isInteger(encodeWorkers) || encodeWorkers < 0 || encodeWorkers > 64) {
    problems.push(`ENCODE_WORKERS: must be a whole number from 0 to 64 (got ${env.ENCODE_WORKERS})`);
  }

  const opusComplexity =
    env.OPUS_COMPLEXITY === undefined ? CAPTURE_OPUS_DEFAULTS.complexity : Number(env.OPUS_COMPLEXITY);
  if (!Number.isInteger(opusComplexity) || opusComplexity < 0 || opusComplexity > 10) {
    problems.push(`OPUS_COMPLEXITY: must be a whole number from 0 to 10 (got ${env.OPUS_COMPLEXITY})`);
  }

  if (problems.length || !serverUrl || !env.API_KEY) throw new CaptureConfigError(problems);
  return {
    serverUrl,
    apiKey: env.API_KEY,
    captureInterface,
    caFile: env.CA_FILE,
    captureFilter: env.CAPTURE_FILTER ?? 'udp or tcp',
    spoolDir: env.SPOOL_DIR ?? '/spool',
    spoolMaxBytes: spoolMaxBytes ?? DEFAULT_SPOOL_BYTES,
    internalNetworks,
    extensionPattern: env.EXTENSION_PATTERN,
    muteDtmf: ['true', '1', 'yes'].includes(muteDtmf),
    encodeWorkers,
    opusComplexity,
  };
}

/** The key's public prefix, safe to log; the secret part never is. */
export function apiKeyPrefix(apiKey: string): string {
  // Not split on '_': the base64url prefix may itself contain one.
  return apiKey.slice(0, 'ak_'.length + 8);
}

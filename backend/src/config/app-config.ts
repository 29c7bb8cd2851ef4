import { isAbsolute, resolve } from 'node:path';
import { envSchema, RawEnv } from './env.schema';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string; database: string };

export interface AppConfig {
  env: RawEnv['NODE_ENV'];
  http: {
    port: number;
    host: string;
    trustProxy: boolean;
    corsOrigins: string[];
    bodyLimit: string;
    redirectPort?: number;
    allowInsecure: boolean;
  };
  tls: { certFile?: string; keyFile?: string; selfSigned: boolean; enabled: boolean };
  dataDir: string;
  database: DatabaseConfig;
  redisUrl?: string;
  /** Namespace of the job queues in Redis (installations sharing a Redis must differ). */
  queuePrefix: string;
  masterKeyFile: string;
  sessionSecret?: string;
  auth: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    rateLimitPerMinute: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
  };
  logLevel: RawEnv['LOG_LEVEL'];
  frontendDist?: string;
  runMigrations: boolean;
  ingest: { maxBytes: number; uploadExpiryHours: number };
  /** Encoder worker threads; undefined: one per CPU core. */
  transcoderWorkers?: number;
  /** FlexDPlayer's built-in SFTP server: null port = not started. */
  flexdplayer: { sftpPort: number | null; sftpHost: string };
  /** `worker` when started as `main.js worker` (set by main.ts, not by the environment). */
  processRole?: 'api' | 'worker';
  vnote: {
    /** Whether the API process also runs transcription jobs (a worker process always does). */
    transcribeInApi: boolean;
    workerConcurrency: number;
    /** A running job's row and slot lease: renewed every quarter of it, taken over when it lapses. */
    jobLeaseMs: number;
    modelsDir: string;
    awsTranscribeEndpoint?: string;
    awsS3Endpoint?: string;
    amivoiceEndpoint?: string;
  };
  webhooks: {
    /** First retry delay; each further retry waits twice as long as the one before. */
    retryBaseMs: number;
  };
  /** Where tenant-configured requests may go (core/webhooks/outbound-network.ts). */
  outboundNetworks: 'auto' | 'all' | 'public';
}

export class ConfigError extends Error {}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function parseDatabase(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: resolve(dataDir, 'appliance.sqlite') };
  if (url.startsWith('sqlite:')) {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    if (!path) throw new ConfigError('DATABASE_URL: sqlite: needs a file path');
    return { type: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`DATABASE_URL: not a valid URL (${redact(url)})`);
  }
  const database = parsed.pathname.replace(/^\//, '');
  if (!parsed.hostname) throw new ConfigError(`DATABASE_URL: no host in ${redact(url)}`);
  if (!/^[A-Za-z0-9_$-]+$/.test(database)) {
    throw new ConfigError(`DATABASE_URL: needs a database name after the host (${redact(url)})`);
  }
  return { type: 'mysql', url, database };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:****@');
}

/** Validates the environment once and maps it into the typed config; throws naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]),
  );
  const result = envSchema.safeParse(relevant);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = result.data;
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(e.DATA_DIR);
  if (!!e.TLS_CERT_FILE !== !!e.TLS_KEY_FILE) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE: set both or neither');
  }
  const tlsEnabled = !!e.TLS_CERT_FILE || e.TLS_SELF_SIGNED;
  if (!tlsEnabled && !LOOPBACK.test(e.HOST) && !e.ALLOW_INSECURE_HTTP) {
    throw new ConfigError(
      `HOST: ${e.HOST} is not loopback; serve TLS (TLS_CERT_FILE/TLS_KEY_FILE or TLS_SELF_SIGNED=true) or set ALLOW_INSECURE_HTTP=true behind a TLS proxy`,
    );
  }
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      bodyLimit: e.BODY_LIMIT,
      redirectPort: e.HTTP_REDIRECT_PORT,
      allowInsecure: e.ALLOW_INSECURE_HTTP,
    },
    tls: {
      certFile: e.TLS_CERT_FILE,
      keyFile: e.TLS_KEY_FILE,
      selfSigned: e.TLS_SELF_SIGNED,
      enabled: tlsEnabled,
    },
    dataDir,
    database: parseDatabase(e.DATABASE_URL, dataDir),
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    masterKeyFile: resolve(e.MASTER_KEY_FILE ?? `${dataDir}/master.key`),
    sessionSecret: e.SESSION_SECRET,
    auth: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      rateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      lockoutThreshold: e.LOCKOUT_THRESHOLD,
      lockoutMinutes: e.LOCKOUT_MINUTES,
    },
    logLevel: e.LOG_LEVEL,
    frontendDist: e.FRONTEND_DIST,
    runMigrations: e.MIGRATIONS_RUN,
    ingest: { maxBytes: e.INGEST_MAX_BYTES, uploadExpiryHours: e.INGEST_UPLOAD_EXPIRY_HOURS },
    transcoderWorkers: e.TRANSCODER_WORKERS,
    flexdplayer: {
      // Test apps run side by side: none listens unless the test asks for it.
      sftpPort: sftpPortOf(e.FLEXDPLAYER_SFTP_PORT ?? (e.NODE_ENV === 'test' ? 'off' : 2222)),
      sftpHost: e.FLEXDPLAYER_SFTP_HOST,
    },
    vnote: {
      transcribeInApi: e.VNOTE_TRANSCRIBE_IN_API ?? !e.REDIS_URL,
      workerConcurrency: e.VNOTE_WORKER_CONCURRENCY,
      jobLeaseMs: e.VNOTE_JOB_LEASE_SECONDS * 1000,
      modelsDir: resolve(e.VNOTE_MODELS_DIR ?? `${dataDir}/vnote-models`),
      awsTranscribeEndpoint: e.VNOTE_AWS_TRANSCRIBE_ENDPOINT,
      awsS3Endpoint: e.VNOTE_AWS_S3_ENDPOINT,
      amivoiceEndpoint: e.VNOTE_AMIVOICE_ENDPOINT,
    },
    webhooks: { retryBaseMs: e.WEBHOOK_RETRY_BASE_MS },
    outboundNetworks: e.OUTBOUND_NETWORKS,
  };
}

const sftpPortOf = (value: number | 'off'): number | null => (value === 'off' ? null : value);

export const APP_CONFIG = Symbol('APP_CONFIG');

import { z } from 'zod';

// Every environment variable the appliance reads, in one place. Nothing else reads process.env.
// The descriptions are also rendered into docs/configuration.md (see config/env.docs.ts).
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const duration = z.coerce.number().int().positive();

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb|sqlite):/, 'must start with mysql://, mariadb:// or sqlite:')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only (at most 40)')
    .default('appliance'),
  MASTER_KEY_FILE: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_SELF_SIGNED: bool.default(false),
  HTTP_REDIRECT_PORT: port.optional(),
  TRUST_PROXY: bool.default(false),
  ALLOW_INSECURE_HTTP: bool.default(false),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 512kb or 1mb')
    .default('1mb'),
  ACCESS_TOKEN_TTL_SECONDS: duration.default(900),
  REFRESH_TOKEN_TTL_SECONDS: duration.default(7 * 24 * 3600),
  AUTH_RATE_LIMIT_PER_MINUTE: duration.default(30),
  LOCKOUT_THRESHOLD: duration.default(5),
  LOCKOUT_MINUTES: duration.default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FRONTEND_DIST: z.string().optional(),
  MIGRATIONS_RUN: bool.default(true),
  INGEST_MAX_BYTES: duration.default(512 * 1024 * 1024),
  INGEST_UPLOAD_EXPIRY_HOURS: duration.default(24),
  TRANSCODER_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  FLEXDPLAYER_SFTP_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).optional(),
  FLEXDPLAYER_SFTP_HOST: z.string().min(1).default('0.0.0.0'),
  VNOTE_TRANSCRIBE_IN_API: bool.optional(),
  VNOTE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  VNOTE_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
  VNOTE_MODELS_DIR: z.string().min(1).optional(),
  VNOTE_AWS_TRANSCRIBE_ENDPOINT: z.string().url().optional(),
  VNOTE_AWS_S3_ENDPOINT: z.string().url().optional(),
  VNOTE_AMIVOICE_ENDPOINT: z.string().url().optional(),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  OUTBOUND_NETWORKS: z.enum(['auto', 'all', 'public']).default('auto'),
});

export type RawEnv = z.infer<typeof envSchema>;

export const envDescriptions: Record<keyof RawEnv, string> = {
  NODE_ENV: 'production, development or test.',
  PORT: 'Port of the web server (HTTPS when TLS is on).',
  HOST: 'Address to listen on. Anything but loopback needs TLS or ALLOW_INSECURE_HTTP=true (behind a TLS proxy).',
  DATA_DIR: 'Data directory of the embedded default: SQLite file, recordings, master key, generated secrets.',
  DATABASE_URL:
    'mysql://user:pass@host:3306/db (MySQL 8 / MariaDB) or sqlite:/path/file.sqlite. Default: SQLite file in DATA_DIR.',
  REDIS_URL: 'redis://host:6379. When set, jobs run on bull/Redis; otherwise on the in-process queue.',
  QUEUE_PREFIX:
    "Prefix of the job queues in Redis. Installations that share one Redis need different prefixes, or they run each other's jobs.",
  MASTER_KEY_FILE: 'Local master key file (0600). Default DATA_DIR/master.key, generated on first start.',
  SESSION_SECRET:
    'Signing secret for access tokens (32+ characters). Default: generated into DATA_DIR/session.secret. Set it when several instances serve one database.',
  TLS_CERT_FILE: 'PEM certificate: the server then speaks HTTPS itself.',
  TLS_KEY_FILE: 'PEM private key matching TLS_CERT_FILE.',
  TLS_SELF_SIGNED: 'Generate a self-signed certificate into DATA_DIR/tls on first start and serve HTTPS.',
  HTTP_REDIRECT_PORT: 'With TLS on: a plain-HTTP port that redirects to HTTPS.',
  TRUST_PROXY: 'Trust X-Forwarded-* headers from a reverse proxy (client IP, protocol).',
  ALLOW_INSECURE_HTTP: 'Allow plain HTTP on a non-loopback HOST (only behind a TLS-terminating proxy).',
  CORS_ORIGINS: 'Comma-separated origins allowed by CORS. Empty (default): CORS closed.',
  BODY_LIMIT: 'Largest JSON body accepted (413 above it).',
  ACCESS_TOKEN_TTL_SECONDS: 'Lifetime of the access token cookie.',
  REFRESH_TOKEN_TTL_SECONDS: 'Lifetime of the refresh token cookie.',
  AUTH_RATE_LIMIT_PER_MINUTE: 'Requests per minute per IP address on authentication endpoints.',
  LOCKOUT_THRESHOLD: 'Failed logins in a row that lock an account.',
  LOCKOUT_MINUTES: 'How long a locked account stays locked.',
  LOG_LEVEL: 'pino log level.',
  FRONTEND_DIST: 'Directory of the built Angular app. Default: dist/frontend/browser next to the backend build.',
  MIGRATIONS_RUN: 'Run database migrations at start-up (default true).',
  INGEST_MAX_BYTES: 'Largest audio file one ingest upload may carry, in bytes (default 512 MiB; 413 above it).',
  INGEST_UPLOAD_EXPIRY_HOURS:
    'Hours a resumable (tus) ingest upload is kept after its last PATCH; its partial audio is then removed (default 24).',
  TRANSCODER_WORKERS:
    'Worker threads that encode uploaded audio to the storage format (default: one per CPU core; 0 encodes on the main thread).',
  FLEXDPLAYER_SFTP_PORT:
    "Port of FlexDPlayer's built-in SFTP server for carrier deliveries (default 2222; 0 picks a free port; off disables it; off by default when NODE_ENV=test).",
  FLEXDPLAYER_SFTP_HOST: 'Address the built-in SFTP server listens on (default 0.0.0.0).',
  VNOTE_TRANSCRIBE_IN_API:
    'FlexVNote: run transcription jobs in the API process too. Default: true without REDIS_URL (embedded), false with it (run `main.js worker` processes instead).',
  VNOTE_WORKER_CONCURRENCY: 'FlexVNote: transcription jobs one process runs at once (default 2).',
  VNOTE_JOB_LEASE_SECONDS:
    "FlexVNote: a running job's lease; a job whose worker died is picked up again once its lease lapses (default 120; renewed every quarter of it).",
  VNOTE_MODELS_DIR: 'FlexVNote: directory holding sherpa-onnx model directories (default DATA_DIR/vnote-models).',
  VNOTE_AWS_TRANSCRIBE_ENDPOINT:
    'FlexVNote: override of the Amazon Transcribe endpoint (default https://transcribe.REGION.amazonaws.com).',
  VNOTE_AWS_S3_ENDPOINT:
    'FlexVNote: override of the S3 endpoint the audio is put to for Amazon Transcribe (path-style).',
  VNOTE_AMIVOICE_ENDPOINT: 'FlexVNote: override of the AmiVoice API base URL (default https://acp-api.amivoice.com).',
  WEBHOOK_RETRY_BASE_MS:
    'Outgoing webhooks: wait before the first retry of a failed delivery, doubled for each further one (default 30000 ms: 30 s, 1, 2, 4, 8 min).',
  OUTBOUND_NETWORKS:
    'Where requests a tenant configures (webhooks, lookup hook, kintone, FlexLog alert webhooks) may go: `public` = public internet addresses only (no loopback, private, link-local or metadata addresses, checked when connecting); `all` = anywhere; `auto` (default) = `public` in multi-tenant mode, `all` on a single-organisation appliance.',
};

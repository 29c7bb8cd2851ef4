import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AUDIO_FILE, type SpoolLogger, type SpoolStore } from '../spool/spool-store';
import type { UploadReceipt } from '../spool/spooled-call';
import { BackendClient, BackendUnreachableError, type BackendResponse, jsonOf, retryAfterMs } from './backend-client';
import { backoffDelayMs, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff';
import { ingestMetadataOf, ingestMultipart } from './ingest-request';

// Sends each finished call of the spool to POST /api/v1/ingest/calls, oldest first, one at a time,
// and keeps at it: the backend being away (refused, 5xx, timeouts) pauses all uploads with growing,
// jittered delays, and nothing is dropped. The clientRecordingId is fixed per call in the spool, so a
// call whose answer was lost and is sent again is stored once (the backend answers the first result).
// A call the backend refuses for good (bad metadata, unsupported, too large) goes to rejected/.

export const INGEST_PATH = '/api/v1/ingest/calls';

export type UploadOutcome =
  | { kind: 'stored'; receipt: UploadReceipt }
  /** This call cannot be stored as it is: keep it aside, alert, do not retry. */
  | { kind: 'rejected'; status: number; reason: string }
  /** This call failed in a way a new attempt may fix (e.g. 422 after a damaged transfer). */
  | { kind: 'retryCall'; status: number; reason: string }
  /** The backend (or the way to it) is the problem: every upload waits. */
  | { kind: 'retry'; status: number | null; reason: string; delayMs: number | null };

export interface UploaderOptions {
  backoff?: BackoffPolicy;
  /** How long to wait after 507 (recording capacity full): the contract says hours, not at once. */
  capacityRetryMs?: number;
  /** At least this long after 401/403 (a revoked or wrong key will not fix itself quickly). */
  authRetryMs?: number;
  /** Attempts of one call for failures that may be its own (422) before it is rejected. */
  maxCallAttempts?: number;
  log?: SpoolLogger;
  random?: () => number;
}

const REJECTED_STATUSES = new Set([400, 405, 410, 411, 413, 414, 415, 431]);

function reasonOf(response: BackendResponse): string {
  const body = jsonOf<{ message?: unknown; errors?: unknown }>(response);
  if (!body) return response.text.slice(0, 500) || `HTTP ${response.status}`;
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? '');
  return body.errors ? `${message} ${JSON.stringify(body.errors)}`.trim() : message || `HTTP ${response.status}`;
}

/** What an answer of the ingest API means for the call and for the uploads behind it. */
export function classifyIngestAnswer(
  response: BackendResponse,
  options: Required<Pick<UploaderOptions, 'capacityRetryMs' | 'authRetryMs'>>,
): UploadOutcome {
  const status = response.status;
  if (status === 200 || status === 201) {
    const body = jsonOf<{ callId?: string; recordingId?: string; duplicate?: boolean }>(response);
    if (body?.callId && body.recordingId) {
      return {
        kind: 'stored',
        receipt: {
          uploadedAt: new Date().toISOString(),
          callId: body.callId,
          recordingId: body.recordingId,
          duplicate: body.duplicate === true,
        },
      };
    }
    return { kind: 'retry', status, reason: 'the backend answered without callId/recordingId', delayMs: null };
  }
  const reason = reasonOf(response);
  const after = retryAfterMs(response);
  if (status === 507) return { kind: 'retry', status, reason, delayMs: Math.max(after ?? 0, options.capacityRetryMs) };
  if (status === 401 || status === 403)
    return { kind: 'retry', status, reason, delayMs: Math.max(after ?? 0, options.authRetryMs) };
  if (REJECTED_STATUSES.has(status)) return { kind: 'rejected', status, reason };
  if (status === 422 || status === 409) return { kind: 'retryCall', status, reason };
  return { kind: 'retry', status, reason, delayMs: after };
}

async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export class CallUploader {
  private readonly options: Required<Omit<UploaderOptions, 'log'>>;
  private readonly log: SpoolLogger;
  private readonly callAttempts = new Map<string, number>();
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;
  /** Uploads stored (including duplicates) since start. */
  uploaded = 0;
  lastProblem: string | null = null;

  constructor(
    private readonly store: SpoolStore,
    private readonly client: BackendClient,
    options: UploaderOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
    this.options = {
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      capacityRetryMs: options.capacityRetryMs ?? 30 * 60_000,
      authRetryMs: options.authRetryMs ?? 60_000,
      maxCallAttempts: options.maxCallAttempts ?? 3,
      random: options.random ?? Math.random,
    };
  }

  start(): void {
    if (this.loop) return;
    this.store.onReady = () => this.wake?.();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Sleeps `ms`; a new ready call or stop() ends an idle sleep early, but not a backoff. */
  private sleep(ms: number, wakeOnReady: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (wakeOnReady || this.stopped) done();
      };
    });
  }

  private async run(): Promise<void> {
    let pauseMs = 0;
    while (!this.stopped) {
      if (pauseMs > 0) {
        await this.sleep(pauseMs, false);
        pauseMs = 0;
        continue;
      }
      const name = this.store.nextReady(new Set());
      if (!name) {
        await this.sleep(60_000, true);
        continue;
      }
      const outcome = await this.attempt(name);
      pauseMs = await this.apply(name, outcome);
    }
  }

  /** One attempt at one call; never throws. */
  async attempt(name: string): Promise<UploadOutcome> {
    let request;
    try {
      const document = await this.store.readDocument('done', name);
      const audioPath = this.store.path('done', name, AUDIO_FILE);
      const { sha256, bytes } = await fileDigest(audioPath);
      const body = ingestMultipart(ingestMetadataOf(document, sha256), audioPath, bytes);
      request = { body, bytes };
    } catch (error) {
      // The spool entry itself is unreadable: no attempt can succeed; keep it aside for a person.
      return { kind: 'rejected', status: 0, reason: `the spool entry cannot be read: ${(error as Error).message}` };
    }
    try {
      const response = await this.client.request('POST', INGEST_PATH, {
        headers: { 'content-type': request.body.contentType, 'content-length': request.body.length },
        body: request.body.open,
        // Generous for slow site links: a minute plus a second per 100 kB.
        timeoutMs: 60_000 + Math.ceil(request.bytes / 100_000) * 1000,
      });
      return classifyIngestAnswer(response, this.options);
    } catch (error) {
      const reason = error instanceof BackendUnreachableError ? error.message : String(error);
      return { kind: 'retry', status: null, reason, delayMs: null };
    }
  }

  /** Acts on an outcome; answers how long every upload must now wait. */
  private async apply(name: string, outcome: UploadOutcome): Promise<number> {
    if (outcome.kind === 'stored') {
      await this.store.markUploaded(name, outcome.receipt);
      this.callAttempts.delete(name);
      this.uploaded++;
      if (this.failures > 0) this.log('info', 'uploads resumed', { afterFailures: this.failures });
      this.failures = 0;
      this.lastProblem = null;
      return 0;
    }
    const attempts = (this.callAttempts.get(name) ?? 0) + 1;
    this.callAttempts.set(name, attempts);
    this.lastProblem = `${outcome.kind}: ${outcome.reason}`;
    if (outcome.kind === 'rejected' || (outcome.kind === 'retryCall' && attempts >= this.options.maxCallAttempts)) {
      await this.store.markRejected(name, {
        rejectedAt: new Date().toISOString(),
        status: outcome.status,
        reason: outcome.reason,
        attempts,
      });
      this.callAttempts.delete(name);
      return 0;
    }
    this.failures++;
    const delayMs = Math.max(
      outcome.kind === 'retry' ? (outcome.delayMs ?? 0) : 0,
      backoffDelayMs(this.failures, this.options.backoff, this.options.random),
    );
    if (this.failures === 1 || this.failures % 10 === 0 || outcome.status === 507) {
      this.log(outcome.status === 507 ? 'error' : 'warn', 'upload failed; the call stays in the spool and is retried', {
        call: name,
        status: outcome.status,
        reason: outcome.reason,
        failuresInARow: this.failures,
        retryInMs: delayMs,
      });
    }
    return delayMs;
  }

  /** Calls waiting, for the heartbeat. */
  get pending(): number {
    return this.store.readyCount;
  }
}

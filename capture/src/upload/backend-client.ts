import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// HTTP(S) to the appliance with the site's API key. Node's own client: it takes the CA file the
// box is given (NODE_EXTRA_CA_CERTS is ignored under file capabilities, see capture.Dockerfile)
// and streams request bodies from disk. Connections are kept alive between heartbeats and uploads.

export interface BackendEndpoint {
  serverUrl: URL;
  apiKey: string;
  /** PEM of a CA or self-signed certificate to trust (CA_FILE). */
  ca?: string | Buffer;
  version: string;
}

export interface BackendResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string | number>;
  /** A buffer, or a function that opens the body stream (called once per request). */
  body?: Buffer | (() => Readable);
  timeoutMs?: number;
}

/** The request never got an HTTP answer (connection refused, reset, TLS, timeout). */
export class BackendUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'BackendUnreachableError';
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

export class BackendClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly secure: boolean;

  constructor(
    readonly endpoint: BackendEndpoint,
    private readonly defaultTimeoutMs = 30_000,
  ) {
    this.secure = endpoint.serverUrl.protocol === 'https:';
    this.agent = this.secure
      ? new HttpsAgent({ keepAlive: true, maxSockets: 4, ca: endpoint.ca })
      : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  url(path: string): URL {
    return new URL(path, this.endpoint.serverUrl);
  }

  /** Headers every request carries (also used by the WebSocket client). */
  authHeaders(): Record<string, string> {
    return {
      authorization: `Bearer ${this.endpoint.apiKey}`,
      'user-agent': `flexlog-capture/${this.endpoint.version}`,
    };
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<BackendResponse> {
    const url = this.url(path);
    const send = this.secure ? httpsRequest : httpRequest;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const body = options.body;
    const headers: Record<string, string | number> = { ...this.authHeaders(), ...options.headers };
    if (Buffer.isBuffer(body)) headers['content-length'] = body.length;
    return new Promise<BackendResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        request.destroy();
        reject(new BackendUnreachableError(url.href, error));
      };
      const request = send(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', fail);
      if (body === undefined) request.end();
      else if (Buffer.isBuffer(body)) request.end(body);
      else pipeline(body(), request).catch(fail);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The JSON of an answer, or null when it is not JSON. */
export function jsonOf<T>(response: BackendResponse): T | null {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    return null;
  }
}

/** Seconds of a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(response: BackendResponse, now = Date.now()): number | null {
  const value = response.headers['retry-after'];
  if (typeof value !== 'string' || !value.trim()) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/** What a stream of buffers and files makes, for a body of known length. */
export function concatenated(parts: (Buffer | (() => Readable))[]): () => Readable {
  return () =>
    Readable.from(
      (async function* () {
        for (const part of parts) {
          if (Buffer.isBuffer(part)) yield part;
          else for await (const chunk of part()) yield chunk as Buffer;
        }
      })(),
      { objectMode: false },
    );
}

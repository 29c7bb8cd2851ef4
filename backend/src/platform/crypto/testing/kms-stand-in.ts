import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * TEST STAND-IN for AWS KMS — not KMS, not a mock of its internals, never for production.
 *
 * A loopback HTTP server answering the documented JSON subset of the KMS API that
 * AwsKmsKeyProvider uses (`X-Amz-Target: TrentService.Encrypt | Decrypt | GenerateDataKey`,
 * content type `application/x-amz-json-1.1`, base64 blobs, EncryptionContext), with KMS's
 * documented error names. SigV4 signatures are accepted unchecked. Its ciphertext blobs are its
 * own format (key ARN || nonce || AES-GCM body || tag, AAD = the encryption context); callers must
 * treat them as opaque, as they must with real KMS.
 */
export class KmsStandIn {
  readonly region = 'ap-northeast-1';
  /** Every request in order, for asserting what was sent (never contains a key: tests only). */
  readonly calls: Array<{ target: string; body: Record<string, unknown> }> = [];
  private readonly keys = new Map<string, { arn: string; material: Buffer; enabled: boolean }>();
  private readonly aliases = new Map<string, string>();
  private server?: Server;

  /** Creates a key and returns its ARN; `alias` (e.g. `alias/appliance`) names it too. */
  createKey(alias?: string): string {
    const arn = `arn:aws:kms:${this.region}:111122223333:key/${randomUUID()}`;
    this.keys.set(arn, { arn, material: randomBytes(32), enabled: true });
    if (alias) this.aliases.set(alias, arn);
    return arn;
  }

  /** Like DisableKey: every operation with the key then fails with DisabledException. */
  disableKey(keyId: string): void {
    this.resolve(keyId).enabled = false;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    try {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-amz-json-1.1')) {
        throw new KmsError('UnsupportedOperationException', 'expected a POST of application/x-amz-json-1.1');
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      this.calls.push({ target, body });
      reply(res, 200, this.dispatch(target, body));
    } catch (error) {
      const e = error instanceof KmsError ? error : new KmsError('InternalException', (error as Error).message);
      reply(res, e.code === 'InternalException' ? 500 : 400, { __type: e.code, message: e.message });
    }
  }

  private dispatch(target: string, body: Record<string, unknown>): Record<string, unknown> {
    const context = contextOf(body['EncryptionContext']);
    switch (target) {
      case 'TrentService.Encrypt': {
        const key = this.usable(String(body['KeyId']));
        return {
          KeyId: key.arn,
          CiphertextBlob: seal(key, b64(body['Plaintext']), context),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      case 'TrentService.GenerateDataKey': {
        const key = this.usable(String(body['KeyId']));
        const bytes =
          body['KeySpec'] === 'AES_128' ? 16 : body['KeySpec'] === 'AES_256' ? 32 : Number(body['NumberOfBytes']);
        if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
          throw new KmsError('ValidationException', 'KeySpec or NumberOfBytes is required');
        }
        const plain = randomBytes(bytes);
        return { KeyId: key.arn, Plaintext: plain.toString('base64'), CiphertextBlob: seal(key, plain, context) };
      }
      case 'TrentService.Decrypt': {
        const blob = b64(body['CiphertextBlob']);
        const arnLength = blob.length > 2 ? blob.readUInt16BE(0) : 0;
        const arn = blob.subarray(2, 2 + arnLength).toString('utf8');
        if (!this.keys.has(arn)) throw new KmsError('InvalidCiphertextException', 'ciphertext names no known key');
        if (body['KeyId'] !== undefined && this.resolve(String(body['KeyId'])).arn !== arn) {
          throw new KmsError('IncorrectKeyException', 'the ciphertext was not encrypted under the KeyId given');
        }
        const key = this.usable(arn);
        return {
          KeyId: key.arn,
          Plaintext: open(key, blob.subarray(2 + arnLength), context).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      default:
        throw new KmsError('UnknownOperationException', `${target} is not part of this stand-in`);
    }
  }

  private resolve(keyId: string) {
    const key = this.keys.get(this.aliases.get(keyId) ?? keyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  private usable(keyId: string) {
    const key = this.resolve(keyId);
    if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    return key;
  }
}

class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function seal(key: { arn: string; material: Buffer }, plain: Buffer, context: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.material, nonce);
  cipher.setAAD(context);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const arn = Buffer.from(key.arn, 'utf8');
  const arnLength = Buffer.alloc(2);
  arnLength.writeUInt16BE(arn.length);
  return Buffer.concat([arnLength, arn, nonce, body, cipher.getAuthTag()]).toString('base64');
}

function open(key: { material: Buffer }, sealed: Buffer, context: Buffer): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, sealed.subarray(0, 12));
    decipher.setAAD(context);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    // What KMS answers for a wrong encryption context or a damaged blob: it never says which.
    throw new KmsError('InvalidCiphertextException', '');
  }
}

function contextOf(value: unknown): Buffer {
  const context = (value ?? {}) as Record<string, string>;
  const entries = Object.keys(context)
    .sort()
    .map((key) => [key, String(context[key])]);
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function b64(value: unknown): Buffer {
  if (typeof value !== 'string') throw new KmsError('ValidationException', 'a base64 blob is required');
  return Buffer.from(value, 'base64');
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}

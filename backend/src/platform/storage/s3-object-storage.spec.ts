import { Readable } from 'node:stream';
import { s3ServerUnavailable, startS3Server, TestS3Server } from '../../../test/support/s3-server';
import { objectKey } from './object-storage';
import { objectStorageContract } from './object-storage.contract';
import { S3ObjectStorage } from './s3-object-storage';
import { probeStorage } from './storage-probe';

// A real S3-compatible server (s3rver) on 127.0.0.1, reached through the AWS SDK. Without one the
// suite fails under CI=true and is skipped, loudly, on a developer's machine.
const unavailable = s3ServerUnavailable();
if (unavailable && process.env['CI'] === 'true') {
  it('has an S3-compatible server to test against', () => {
    throw new Error(`S3 driver untested: ${unavailable}`);
  });
} else if (unavailable) {
  console.warn(`SKIPPED: S3 driver contract tests: ${unavailable}`);
  it.skip(`S3 driver contract (${unavailable})`, () => undefined);
} else {
  let server: TestS3Server;
  const open = async (options = {}) => {
    server ??= await startS3Server();
    const { endpoint, region, bucket, accessKeyId, secretAccessKey } = server;
    return new S3ObjectStorage(
      { driver: 's3', endpoint, region, bucket, accessKeyId, secretAccessKey, forcePathStyle: true },
      options,
    );
  };
  afterAll(() => server?.stop());

  objectStorageContract(
    's3',
    () => open(),
    (storage) => (storage as S3ObjectStorage).close(),
  );

  describe('S3ObjectStorage against s3rver', () => {
    it('uploads a body over one part as a multipart upload in several parts at once', async () => {
      const storage = await open({ partSize: 5 * 1024 * 1024, partConcurrency: 2 });
      const key = objectKey('t-multi', 'big.bin');
      const body = Buffer.alloc(12 * 1024 * 1024, 7);
      expect(await storage.put(key, Readable.from([body]))).toEqual({ bytes: body.length });
      expect(await storage.stat(key)).toEqual({ bytes: body.length });
      await storage.close();
    });

    it('probes a bucket through the driver, and names the failure of a missing one', async () => {
      const { endpoint, region, bucket, accessKeyId, secretAccessKey } = server;
      const settings = {
        driver: 's3' as const,
        endpoint,
        region,
        bucket,
        accessKeyId,
        secretAccessKey,
        forcePathStyle: true,
      };
      expect(await probeStorage(settings)).toEqual({
        ok: true,
        message: `s3://${bucket}: write, read and delete succeeded`,
      });
      const missing = await probeStorage({ ...settings, bucket: 'no-such-bucket' });
      expect(missing).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^s3:\/\/no-such-bucket: NoSuchBucket.*HTTP 404/),
      });
    });

    it('reports a refused request as an error, not as an absent object', async () => {
      const storage = new S3ObjectStorage({
        driver: 's3',
        endpoint: server.endpoint,
        region: server.region,
        bucket: server.bucket,
        accessKeyId: 'nobody', // s3rver checks the key id (not the signature)
        secretAccessKey: 'wrong',
        forcePathStyle: true,
      });
      await expect(storage.stat(objectKey('t1', 'x'))).rejects.toThrow();
      await expect(storage.get(objectKey('t1', 'x'))).rejects.toThrow(/access key/i);
      await storage.close();
    });
  });
}

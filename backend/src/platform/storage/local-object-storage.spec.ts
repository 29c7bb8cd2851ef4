import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalObjectStorage } from './local-object-storage';
import { objectStorageContract } from './object-storage.contract';
import { objectKey, tenantPrefix } from './object-storage';
import { probeStorage } from './storage-probe';

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'local-storage-'));
  roots.push(root);
  return root;
}
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

objectStorageContract('local', async () => new LocalObjectStorage(await freshRoot()));

describe('LocalObjectStorage on disk', () => {
  let root: string;
  let storage: LocalObjectStorage;
  beforeEach(async () => {
    root = await freshRoot();
    storage = new LocalObjectStorage(join(root, 'store'));
  });

  it('lays files out by key with 0600 files and 0700 directories', async () => {
    await storage.put(objectKey('t1', 'rec', 'a.wav'), Readable.from([Buffer.from('abc')]));
    const file = join(root, 'store', 'tenants', 't1', 'rec', 'a.wav');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for (const dir of ['store', 'store/tenants', 'store/tenants/t1', 'store/tenants/t1/rec'])
      expect((await stat(join(root, dir))).mode & 0o777).toBe(0o700);
  });

  it('leaves no temporary file after a failed write, and prunes emptied directories', async () => {
    const key = objectKey('t1', 'rec', 'b.wav');
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(1000);
        throw new Error('boom');
      })(),
    );
    await expect(storage.put(key, failing)).rejects.toThrow('boom');
    expect(await readdir(join(root, 'store', 'tenants', 't1', 'rec'))).toEqual([]);
    await storage.put(key, Readable.from([Buffer.from('x')]));
    await storage.delete(key);
    expect(await readdir(join(root, 'store', 'tenants'))).toEqual([]);
  });

  it('never reaches outside its root, even through a key a caller crafted', async () => {
    await writeFile(join(root, 'secret'), 'outside');
    for (const key of ['tenants/t1/../../../secret', '../secret', 'tenants/t1/..%2F..%2Fsecret'])
      await expect(storage.get(key)).rejects.toThrow(/invalid object key/);
    expect(await storage.deletePrefix(tenantPrefix('t1'))).toBe(0);
  });

  it('does not list or delete files that are not objects (temporary files, other names)', async () => {
    await storage.put(objectKey('t1', 'a'), Readable.from([Buffer.from('a')]));
    await writeFile(join(root, 'store', 'tenants', 't1', '.tmp-123'), 'partial');
    await symlink(join(root), join(root, 'store', 'tenants', 't1', '.link'));
    const keys: string[] = [];
    for await (const { key } of storage.list(tenantPrefix('t1'))) keys.push(key);
    expect(keys).toEqual(['tenants/t1/a']);
  });

  it('probes a directory through the driver and leaves nothing behind', async () => {
    const result = await probeStorage({ driver: 'local', localPath: join(root, 'probed') });
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('writable') });
    expect(await readdir(join(root, 'probed', 'system'))).toEqual([]);
    expect(await probeStorage({ driver: 'local', localPath: '/proc/x' })).toMatchObject({ ok: false });
  });
});

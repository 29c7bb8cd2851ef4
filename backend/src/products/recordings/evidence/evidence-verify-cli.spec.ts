import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEvidenceVerifyCli } from './evidence-verify-cli';
import { AUDIO, flipByteOf, testSigner, writeTestExport } from './testing/evidence-zips';

describe('evidence:verify CLI', () => {
  const signer = testSigner();
  let dir: string;
  let zip: string;
  let pem: string;
  let server: Server;
  let keyUrl: string;

  const run = async (...args: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runEvidenceVerifyCli(args, { log: (l) => lines.push(l), error: (l) => errors.push(l) });
    return { code, out: lines.join('\n'), err: errors.join('\n') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    zip = join(dir, 'export.zip');
    pem = join(dir, 'key.pem');
    await writeTestExport(zip, signer);
    writeFileSync(pem, signer.publicKeyPem);
    // The public-key endpoint's JSON answer, served on loopback.
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem, fingerprint: 'x' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    keyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/evidence/public-key`;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 0 with a readable OK for an intact export, key from a PEM file or the endpoint URL', async () => {
    for (const key of [pem, keyUrl]) {
      const { code, out } = await run(zip, '--public-key', key);
      expect(code).toBe(0);
      expect(out).toContain(`signature checked with ${key} (${signer.fingerprint})`);
      expect(out).toMatch(/^OK: every file is present and unchanged/m);
    }
  });

  it('accepts the JSON of the public-key endpoint saved to a file', async () => {
    const json = join(dir, 'key.json');
    writeFileSync(json, JSON.stringify({ publicKeyPem: signer.publicKeyPem }));
    expect((await run(zip, '--public-key', json)).code).toBe(0);
  });

  it('exits 1 naming the changed file', async () => {
    const copy = join(dir, 'tampered.zip');
    writeFileSync(copy, readFileSync(zip));
    await flipByteOf(copy, AUDIO);
    const { code, out } = await run(copy, '--public-key', pem);
    expect(code).toBe(1);
    expect(out).toContain('FAILED: 1 problem');
    expect(out).toMatch(new RegExp(`changed\\s+${AUDIO}: manifest: \\d+ bytes`));
  });

  it('exits 1 with --json too, the report as JSON', async () => {
    const other = testSigner();
    const otherPem = join(dir, 'other.pem');
    writeFileSync(otherPem, other.publicKeyPem);
    const { code, out } = await run(zip, '--public-key', otherPem, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(out).problems).toEqual([expect.objectContaining({ problem: 'manifest-signature' })]);
  });

  it('uses the key inside the ZIP only when told to, and warns', async () => {
    const { code, out } = await run(zip, '--embedded-key');
    expect(code).toBe(0);
    expect(out).toContain('WARNING: signature checked with the key INSIDE the ZIP');
  });

  it.each([
    [[], 'which ZIP?'],
    [['export.zip'], 'give the appliance key'],
    [['a.zip', 'b.zip', '--embedded-key'], 'one ZIP at a time'],
    [['a.zip', '--public-key'], 'needs a file or URL'],
    [['a.zip', '--frobnicate'], 'unknown option --frobnicate'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('usage: npm run evidence:verify');
  });

  it('exits 2 when the key cannot be read', async () => {
    const { code, err } = await run(zip, '--public-key', join(dir, 'absent.pem'));
    expect(code).toBe(2);
    expect(err).toContain('cannot read the public key');
  });
});

import { readFile } from 'node:fs/promises';
import { verifyDeletionCertificate } from './deletion-certificate';

const USAGE = [
  'usage: npm run certificate:verify -- <certificate.json> --public-key <key.pem or key JSON> [--signature <file>] [--json]',
  '',
  '--public-key  the evidence key: a PEM file, or the saved JSON of GET /api/v1/evidence/public-key',
  '--signature   the detached signature (base64); default <certificate.json>.sig',
  '--json        print the result as JSON',
  '',
  'Exit code: 0 valid, 1 the signature or the document does not check out, 2 usage error.',
].join('\n');

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** `main.js certificate-verify`: needs no database or configuration, only the three files. */
export async function runCertificateVerifyCli(args: string[], out: Output = console): Promise<number> {
  let parsed: { file: string; key: string; signature: string; json: boolean };
  try {
    parsed = parseArgs(args);
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let document: Buffer;
  let signature: string;
  let key: string;
  try {
    document = await readFile(parsed.file);
    signature = await readFile(parsed.signature, 'utf8');
    key = publicKeyPem(await readFile(parsed.key, 'utf8'));
  } catch (error) {
    out.error(`cannot read the input: ${(error as Error).message}`);
    return 2;
  }
  let check;
  try {
    check = verifyDeletionCertificate(document, signature, key);
  } catch (error) {
    out.error(`not a usable public key: ${(error as Error).message}`);
    return 2;
  }
  if (parsed.json)
    out.log(JSON.stringify({ ok: check.ok, problems: check.problems, keyFingerprint: check.keyFingerprint }));
  else if (check.ok) {
    const c = check.certificate;
    out.log(`OK: deletion certificate ${c?.certificateId} for ${c?.tenant.name} (${c?.tenant.id})`);
    out.log(
      `  signed with ${check.keyFingerprint}; finished ${c?.finishedAt}; keys destroyed ${c?.destroyedKeyIds.join(', ')}`,
    );
  } else {
    out.log(`FAILED: ${parsed.file}`);
    for (const p of check.problems) out.log(`  ${p}`);
  }
  return check.ok ? 0 : 1;
}

function parseArgs(args: string[]) {
  let file: string | undefined;
  let key: string | undefined;
  let signature: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--public-key') key = args[++i];
    else if (arg === '--signature') signature = args[++i];
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (file) throw new Error(`one certificate at a time (got ${file} and ${arg})`);
    else file = arg;
  }
  if (!file) throw new Error('which certificate?');
  if (!key) throw new Error('give the evidence public key with --public-key');
  return { file, key, signature: signature ?? `${file}.sig`, json };
}

function publicKeyPem(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  const pem = (JSON.parse(text) as { publicKeyPem?: unknown }).publicKeyPem;
  if (typeof pem !== 'string') throw new Error('JSON without publicKeyPem');
  return pem;
}

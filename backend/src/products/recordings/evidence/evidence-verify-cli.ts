import { readFile } from 'node:fs/promises';
import { ARCHIVE, EvidenceReport, verifyEvidenceZip } from './evidence-verifier';

const USAGE = [
  'usage: npm run evidence:verify -- <export.zip> --public-key <file or URL> [--json]',
  '       npm run evidence:verify -- <export.zip> --embedded-key [--json]',
  '',
  '--public-key    the appliance key: a PEM file, or the JSON of GET /api/v1/evidence/public-key,',
  '                or that URL itself (https://<appliance>/api/v1/evidence/public-key)',
  '--embedded-key  check against public-key.pem inside the ZIP: proves the files match the manifest,',
  '                NOT that the appliance made it (anyone can sign with a key of their own)',
  '--json          print the report as JSON',
  '',
  'Exit code: 0 intact, 1 any changed, missing or added file or a bad signature, 2 usage error.',
].join('\n');

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `main.js evidence-verify`: needs no database, configuration or data directory, only the ZIP and
 * the key, so whoever received an export can check it on any machine with Node.
 */
export async function runEvidenceVerifyCli(args: string[], out: Output = console): Promise<number> {
  let parsed: { zip: string; key?: string; embedded: boolean; json: boolean };
  try {
    parsed = parseArgs(args);
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let trustedPublicKey: string | undefined;
  try {
    trustedPublicKey = parsed.key ? await loadKey(parsed.key) : undefined;
  } catch (error) {
    out.error(`cannot read the public key ${parsed.key}: ${(error as Error).message}`);
    return 2;
  }
  let report: EvidenceReport;
  try {
    report = await verifyEvidenceZip(parsed.zip, { trustedPublicKey });
  } catch (error) {
    out.error((error as Error).message);
    return 2;
  }
  if (parsed.json) out.log(JSON.stringify(report, null, 2));
  else for (const line of describe(parsed.zip, report, parsed.key)) out.log(line);
  return report.ok ? 0 : 1;
}

function parseArgs(args: string[]) {
  let zip: string | undefined;
  let key: string | undefined;
  let embedded = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--public-key') {
      key = args[++i];
      if (!key) throw new Error('--public-key needs a file or URL');
    } else if (arg === '--embedded-key') embedded = true;
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (zip) throw new Error(`one ZIP at a time (got ${zip} and ${arg})`);
    else zip = arg;
  }
  if (!zip) throw new Error('which ZIP?');
  if (!key && !embedded) throw new Error('give the appliance key with --public-key (or say --embedded-key)');
  if (key && embedded) throw new Error('--public-key and --embedded-key exclude each other');
  return { zip, key, embedded, json };
}

/** A PEM file or URL, or the JSON answer of the public-key endpoint saved or fetched as is. */
async function loadKey(source: string): Promise<string> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    text = await res.text();
  } else {
    text = await readFile(source, 'utf8');
  }
  if (text.trimStart().startsWith('{')) {
    const pem = (JSON.parse(text) as { publicKeyPem?: unknown }).publicKeyPem;
    if (typeof pem !== 'string') throw new Error('JSON without publicKeyPem');
    return pem;
  }
  return text;
}

function describe(zip: string, report: EvidenceReport, keySource: string | undefined): string[] {
  const lines = [`Evidence export ${zip}`];
  const m = report.manifest;
  if (m) {
    lines.push(
      `  export ${m.exportId}, made ${m.createdAt} for ${m.tenant?.name ?? '?'} by ${m.exportedBy?.email ?? '?'}`,
    );
    lines.push(`  ${m.calls} call${m.calls === 1 ? '' : 's'}, query ${JSON.stringify(m.query)}`);
  }
  if (report.keySource === 'trusted') lines.push(`  signature checked with ${keySource} (${report.keyFingerprint})`);
  if (report.keySource === 'embedded') {
    lines.push(`  WARNING: signature checked with the key INSIDE the ZIP (${report.keyFingerprint}).`);
    lines.push('  This shows the files match the manifest, not that the appliance made the export:');
    lines.push('  compare this fingerprint with GET /api/v1/evidence/public-key, or use --public-key.');
  }
  if (report.embeddedKeyMatches === false)
    lines.push('  note: public-key.pem inside the ZIP is not the key given (it is informational only)');
  lines.push(`  ${report.checkedFiles} files checked`);
  if (report.ok) {
    lines.push('OK: every file is present and unchanged, nothing was added, and the manifest signature is valid.');
    return lines;
  }
  lines.push(`FAILED: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`);
  const width = Math.max(...report.problems.map((p) => p.problem.length));
  for (const p of report.problems) {
    lines.push(`  ${p.problem.padEnd(width)}  ${p.file === ARCHIVE ? 'the archive' : p.file}: ${p.detail}`);
  }
  return lines;
}

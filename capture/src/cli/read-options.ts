import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { StorageOpusOptions } from '@appliance/audio-format';
import { DirectionClassifier, type DirectionRules } from '../calls/call-direction';

// The command line of the offline mode, a contract other tools rely on:
//   capture read <file.pcap|file.pcapng> --out <dir> [options]

export const READ_USAGE = `Usage: npm run capture -- read <file.pcap|file.pcapng> --out <dir> [options]

Rebuilds the calls in a capture file, without any backend, and writes for each call
<dir>/<id>.json (its metadata) and <dir>/<id>.ogg (stereo Ogg Opus: left = caller,
right = callee; absent when no audio of the call was seen, "audio" is then null).
Exits 0 when the file was read (malformed packets are counted, not fatal), 1 when it
cannot be read, 2 on a usage error.

Options:
  --out <dir>                 Where to write the calls (created if missing). Required.
  --internal-networks <list>  The site's networks, comma-separated CIDR blocks
                              (e.g. 192.168.0.0/16,fd00::/8): a party whose signalling
                              address is inside is internal (sets "direction").
  --extension-pattern <re>    Regular expression an internal extension matches in full
                              (e.g. "^[2-4][0-9]{2}$"); numbers decide before addresses.
  --extension-lengths <list>  Lengths of internal extensions, e.g. 3,4 (digits only).
  --mute-dtmf                 Silence RFC 4733 DTMF tones in the audio (the digits are
                              still listed in "dtmf").
  --bitrate <kbps>            Opus bitrate of each party's channel, 6-32 (default 7:
                              about 6.6 MB per call-hour).
  --complexity <0-10>         Opus encoder complexity (default 5).
  --concurrency <n>           Calls encoded at once (default 2).
  --work-dir <dir>            Where call media waits until its call ends (default: the
                              system's temporary directory); removed afterwards.
  --quiet                     No summary on stderr.
  -h, --help                  This text.
`;

export interface ReadOptions {
  file: string;
  outDir: string;
  workDir: string;
  direction: DirectionRules;
  muteDtmf: boolean;
  opus: StorageOpusOptions;
  concurrency: number;
  quiet: boolean;
}

/** A bad command line: the message names the option. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function integerOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: must be a whole number from ${min} to ${max} (got ${text})`);
  }
  return value;
}

export const listOption = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Direction rules from option texts, checked the way the call assembler will use them. */
export function directionRulesOf(texts: {
  internalNetworks?: string;
  extensionPattern?: string;
  extensionLengths?: string;
}): DirectionRules {
  const rules: DirectionRules = {
    internalNetworks: listOption(texts.internalNetworks),
    extensionPattern: texts.extensionPattern || undefined,
    extensionLengths: listOption(texts.extensionLengths).map((length) => {
      const value = Number(length);
      if (!Number.isInteger(value) || value < 1 || value > 20) {
        throw new UsageError(`extension lengths: ${length} is not a length from 1 to 20`);
      }
      return value;
    }),
  };
  try {
    new DirectionClassifier(rules);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return rules;
}

/** The options of `read`, or 'help'. Throws UsageError naming what is wrong. */
export function parseReadArguments(args: string[]): ReadOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        'internal-networks': { type: 'string' },
        'extension-pattern': { type: 'string' },
        'extension-lengths': { type: 'string' },
        'mute-dtmf': { type: 'boolean' },
        bitrate: { type: 'string' },
        complexity: { type: 'string' },
        concurrency: { type: 'string' },
        'work-dir': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'read: name the capture file to read'
        : `read: one file at a time (got ${positionals.length})`,
    );
  }
  if (!values.out) throw new UsageError('--out: required (the directory to write the calls to)');
  let direction: DirectionRules;
  try {
    direction = directionRulesOf({
      internalNetworks: values['internal-networks'],
      extensionPattern: values['extension-pattern'],
      extensionLengths: values['extension-lengths'],
    });
  } catch (error) {
    // The classifier names its rule (internalNetworks, extensionPattern); say which option that is.
    const message = (error as Error).message
      .replace(/^internalNetworks/, '--internal-networks')
      .replace(/^extensionPattern/, '--extension-pattern')
      .replace(/^extension lengths/, '--extension-lengths');
    throw new UsageError(message);
  }
  return {
    file: positionals[0],
    outDir: values.out,
    workDir: values['work-dir'] ?? tmpdir(),
    direction,
    muteDtmf: values['mute-dtmf'] ?? false,
    opus: {
      bitrateKbpsPerChannel: integerOption('bitrate', values.bitrate, 6, 32),
      complexity: integerOption('complexity', values.complexity, 0, 10),
    },
    concurrency: integerOption('concurrency', values.concurrency, 1, 64) ?? 2,
    quiet: values.quiet ?? false,
  };
}

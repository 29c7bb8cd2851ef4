import { captureEnvDescriptions } from './config';
import { runRead } from './cli/read-command';
import { parseReadArguments, READ_USAGE, UsageError } from './cli/read-options';
import { runLiveService } from './cli/live-service';

// Two ways to run: the live service (no arguments; configured from the environment) and the
// offline reader (`read <file> --out <dir>`).

function generalHelp(): string {
  const width = Math.max(...Object.keys(captureEnvDescriptions).map((name) => name.length));
  const variables = Object.entries(captureEnvDescriptions)
    .map(([name, description]) => `  ${name.padEnd(width)}  ${description}`)
    .join('\n');
  return `FlexLog capture: records the calls on a mirrored switch port and uploads them.

Usage:
  node dist/capture/main.js               run the live service (configured by the environment)
  node dist/capture/main.js read <file> --out <dir> [options]
                                          rebuild the calls of a pcap/pcapng file offline
  node dist/capture/main.js read --help   the options of read
  (from a clone: npm run capture -- read <file> --out <dir>)

Environment of the live service:
${variables}
`;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(generalHelp());
    return 0;
  }
  if (command === 'read') {
    let options;
    try {
      options = parseReadArguments(rest);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`${error.message}\n\n${READ_USAGE}`);
      return 2;
    }
    if (options === 'help') {
      process.stdout.write(READ_USAGE);
      return 0;
    }
    return runRead(options);
  }
  if (command !== undefined) {
    process.stderr.write(`unknown command: ${command}\n\n${generalHelp()}`);
    return 2;
  }
  return runLiveService();
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
    // The live service has stopped everything it runs; a stray keep-alive must not hold the exit.
    if (argv.length === 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`capture failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

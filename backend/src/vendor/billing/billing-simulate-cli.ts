import { readFile } from 'node:fs/promises';
import { ScenarioError } from './scenario';
import { simulateBilling } from './simulate';

const USAGE = [
  'usage: npm run -s billing:simulate -- <scenario.json>     (or - to read the scenario from stdin)',
  '',
  'Prints the bills of the scenario as JSON on stdout (the format of POST /api/v1/vendor/billing/simulate).',
  'Exit code: 0 done; 2 unreadable file, invalid JSON, a malformed scenario or one that breaks a rule',
  '(each problem on stderr, naming its field); 1 an internal error.',
].join('\n');

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `main.js billing-simulate <scenario.json>`: the billing engine on a file, no database and no
 * configuration needed, so a salesperson or an auditor can check a bill on any machine with Node.
 */
export async function runBillingSimulateCli(
  args: string[],
  out: CliOutput = console,
  stdin: () => Promise<string> = readStdin,
): Promise<number> {
  if (args.length !== 1 || (args[0].startsWith('-') && args[0] !== '-')) {
    out.error(`${args.length ? `unexpected arguments: ${args.join(' ')}` : 'which scenario?'}\n\n${USAGE}`);
    return 2;
  }
  const source = args[0] === '-' ? 'stdin' : args[0];
  let text: string;
  try {
    text = args[0] === '-' ? await stdin() : await readFile(args[0], 'utf8');
  } catch (error) {
    out.error(`cannot read the scenario ${source}: ${(error as Error).message}`);
    return 2;
  }
  let scenario: unknown;
  try {
    scenario = JSON.parse(text);
  } catch (error) {
    out.error(`${source}: (body): not valid JSON: ${(error as Error).message}`);
    return 2;
  }
  try {
    out.log(JSON.stringify(simulateBilling(scenario), null, 2));
    return 0;
  } catch (error) {
    if (error instanceof ScenarioError) {
      out.error(`${source}: the scenario is refused:`);
      for (const problem of error.problems) out.error(`  ${problem.field}: ${problem.message}`);
      return 2;
    }
    out.error(`billing simulation failed: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
/* eslint-disable @nx/enforce-module-boundaries -- test tooling, not product code: the capture's own
   e2e harness (CLI bundler, SIPp runner, RTP audio, live-capture probe) is reused rather than copied. */
import { removeCliBundle, startCli, type RunningCli } from '../../capture/src/cli/testing/cli-bundle';
import { sippVersion, startSipp, type SippRun } from '../../capture/src/e2e/testing/sipp';
import {
  CALLEE_VOICE,
  CALLER_VOICE,
  encodeAlaw,
  voiceSignal,
  writeRtpPcap,
} from '../../capture/src/e2e/testing/source-audio';
import { liveCaptureAvailability } from '../../capture/src/live/testing/live-capture-availability';
/* eslint-enable @nx/enforce-module-boundaries */

// Real calls for the appliance's e2e specs: the FlexLog capture's command line (capture/src/main.ts,
// bundled by the capture's own test helper) sniffs `lo` live and reports to the appliance under
// test with a site's API key, while SIPp places calls between two loopback addresses with the
// capture's own e2e scenarios (capture/src/e2e/sipp). Ports differ from the capture's sipp test so
// both can run on one machine without either capture seeing the other's calls.

const SCENARIOS = path.join(__dirname, '..', '..', 'capture', 'src', 'e2e', 'sipp');
const CALLER_IP = '127.0.0.11';
const CALLEE_IP = '127.0.0.12';
const UAC_PORT = 5170;
const UAS_PORT = 5180;
const MEDIA_PORTS = [18000, 18999];
const SOURCE_SECONDS = 1.6;

/** Why real calls cannot be placed here (sipp missing, no live capture on `lo`), or null when they can. */
export function sippCaptureUnavailable(): string | null {
  if (!sippVersion()) return 'sipp is not installed (apt-get install sip-tester)';
  const live = liveCaptureAvailability('lo');
  return live.available ? null : `cannot capture on lo: ${live.reason}`;
}

export interface CallPlan {
  /** The number in From (the caller), e.g. 0311112222. */
  caller: string;
  /** The number in the request URI and To, e.g. the extension 201. */
  callee: string;
  /** How long the caller talks after the answer before it hangs up. */
  talkMs: number;
}

export interface SippCapture {
  dir: string;
  capture: RunningCli;
  /** Places one call (caller.xml) and resolves with sipp's exit code once the caller hung up. */
  call(plan: CallPlan): Promise<number | null>;
  /** The tail of a sipp side's screen log, for a failure message. */
  log(name: string): string;
  stop(): Promise<void>;
}

/**
 * Starts the capture against `lo` (posting to `serverUrl` with `apiKey`, waiting until it has the
 * site's configuration) and a SIPp callee that answers `calls` calls, each after ringing `ringMs`.
 */
export async function startSippCapture(opts: {
  serverUrl: string;
  apiKey: string;
  calls: number;
  ringMs: number;
}): Promise<SippCapture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'popup-sipp-'));
  writeRtpPcap(path.join(dir, 'caller.pcap'), encodeAlaw(voiceSignal(CALLER_VOICE, SOURCE_SECONDS)), 0x0ca11e4);
  writeRtpPcap(path.join(dir, 'callee.pcap'), encodeAlaw(voiceSignal(CALLEE_VOICE, SOURCE_SECONDS)), 0x0ca11ee);
  for (const scenario of ['caller.xml', 'callee.xml']) {
    copyFileSync(path.join(SCENARIOS, scenario), path.join(dir, scenario));
  }

  const capture = await startCli([], {
    SERVER_URL: opts.serverUrl,
    API_KEY: opts.apiKey,
    CAPTURE_INTERFACE: 'lo',
    CAPTURE_FILTER: `udp and (port ${UAC_PORT} or port ${UAS_PORT} or portrange ${MEDIA_PORTS.join('-')})`,
    SPOOL_DIR: path.join(dir, 'spool'),
    SPOOL_MAX_BYTES: '256M',
  });
  try {
    await capture.waitForOutput(/"msg":"capturing"/, 60_000);
    // Calls are classified with the site's extension patterns: wait until they are here.
    await capture.waitForOutput(/"msg":"site configuration fetched"/, 30_000);
  } catch (error) {
    capture.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const uas = startSipp(
    'callee',
    [
      ...['-sf', 'callee.xml', '-i', CALLEE_IP, '-mi', CALLEE_IP, '-p', `${UAS_PORT}`],
      ...['-mp', `${MEDIA_PORTS[0] + 500}`, '-m', `${opts.calls}`, '-d', `${opts.ringMs}`],
    ],
    dir,
  );
  let placed = 0;
  const running = new Set<SippRun>([uas]);

  return {
    dir,
    capture,
    async call(plan) {
      placed += 1;
      const name = `caller-${placed}`;
      writeFileSync(path.join(dir, `${name}.csv`), `SEQUENTIAL\n${plan.caller};${plan.callee};${plan.talkMs}\n`);
      const run = startSipp(
        name,
        [
          `${CALLEE_IP}:${UAS_PORT}`,
          ...['-sf', 'caller.xml', '-inf', `${name}.csv`, '-i', CALLER_IP, '-mi', CALLER_IP, '-p', `${UAC_PORT}`],
          ...['-mp', `${MEDIA_PORTS[0] + placed * 10}`, '-m', '1', '-l', '1'],
        ],
        dir,
      );
      running.add(run);
      const code = await run.exited;
      running.delete(run);
      return code;
    },
    log(name) {
      try {
        return readFileSync(path.join(dir, `${name}.log`), 'utf8').slice(-2000);
      } catch {
        return `(no ${name}.log)`;
      }
    },
    async stop() {
      for (const run of running) run.kill();
      capture.kill('SIGTERM');
      await capture.exited;
      removeCliBundle();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

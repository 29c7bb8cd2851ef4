import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Whether this machine can capture live with libpcap: the optional `pcap` module loads and a session
// opens on the interface (root, or CAP_NET_RAW). Asked of a short-lived child node process, so the
// test process itself never holds a native capture handle. Tests that capture live run when the
// answer is yes; otherwise they are skipped and the reason is printed. CAPTURE_LIVE_TESTS=0 skips
// them on purpose.

export interface LiveCaptureAvailability {
  available: boolean;
  /** Why not, in words a person can act on; empty when available. */
  reason: string;
}

const WORKSPACE = join(__dirname, '../../../..');

const PROBE = `
const device = process.argv[1];
let pcap;
try {
  pcap = require('pcap');
} catch (error) {
  console.log('the pcap module does not load (apt-get install libpcap-dev, then npm rebuild pcap): ' + String(error.message).split('\\n')[0]);
  process.exit(3);
}
try {
  pcap.createSession(device, { filter: 'udp port 9' });
} catch (error) {
  console.log('cannot capture on ' + device + ' (needs root or CAP_NET_RAW): ' + error.message);
  process.exit(4);
}
process.exit(0);
`;

const answers = new Map<string, LiveCaptureAvailability>();

export function liveCaptureAvailability(device = 'lo'): LiveCaptureAvailability {
  let answer = answers.get(device);
  if (answer) return answer;
  if (process.env['CAPTURE_LIVE_TESTS'] === '0') {
    answer = { available: false, reason: 'CAPTURE_LIVE_TESTS=0' };
  } else {
    const probe = spawnSync(process.execPath, ['-e', PROBE, device], {
      cwd: WORKSPACE,
      timeout: 15_000,
      encoding: 'utf8',
    });
    const said = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim();
    answer =
      probe.status === 0
        ? { available: true, reason: '' }
        : { available: false, reason: said || `the probe ended with ${probe.status ?? probe.signal}` };
  }
  answers.set(device, answer);
  return answer;
}

/** The availability, printing why live tests are skipped when they are. */
export function liveTestsCanRun(what: string, device = 'lo'): boolean {
  const { available, reason } = liveCaptureAvailability(device);
  if (!available) console.warn(`${what} skipped: ${reason}`);
  return available;
}

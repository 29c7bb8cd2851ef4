import { apiKeyPrefix, CaptureConfigError, loadCaptureConfig } from './config';

// The capture shell: it validates its configuration so a site can be installed and wired up now.
// Packet capture (SIP/RTP), call rebuilding, spooling and upload arrive in a later release.
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'capture', msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

function main(): void {
  let config;
  try {
    config = loadCaptureConfig();
  } catch (error) {
    const message = error instanceof CaptureConfigError ? error.message : `start-up failed: ${String(error)}`;
    // Plain text, one problem a line: this is read by whoever is installing the box.
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  log('info', 'capture configured', {
    server: config.serverUrl.origin,
    apiKey: `${apiKeyPrefix(config.apiKey)}_…`,
    interface: config.captureInterface,
    caFile: config.caFile ?? null,
  });
  log('info', 'packet capture arrives in a later release; this build only validates its configuration');

  // Stay up until stopped, so a container supervisor does not restart it in a loop.
  const idle = setInterval(() => undefined, 1 << 30);
  const stop = (signal: NodeJS.Signals) => {
    log('info', `received ${signal}, stopping`);
    clearInterval(idle);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();

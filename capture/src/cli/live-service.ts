import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CallAssembler } from '../calls/call-assembler';
import { apiKeyPrefix, type CaptureConfig, CaptureConfigError, loadCaptureConfig } from '../config';
import { LiveCapture } from '../live/live-capture';
import { EncodeWorkerPool } from '../output/encode-worker-pool';
import { PacketPipeline } from '../packet/packet-pipeline';
import { CallSpool } from '../spool/call-spool';
import { ClockedSink } from '../spool/clocked-sink';
import type { SpoolLogger } from '../spool/spool-store';
import { BackendClient } from '../upload/backend-client';
import { CallEventsClient, EventSequence } from '../upload/call-events-client';
import { CallUploader } from '../upload/call-uploader';
import { directionRulesOf, type HeartbeatFigures, SiteLink } from '../upload/site-link';

// The live service: libpcap on the mirror port -> packet pipeline -> call assembler -> spool ->
// uploader, with the heartbeat and the real-time call events beside it. Stops on SIGTERM/SIGINT:
// calls still up stay in the spool and are closed (partial) by the next start.

export const CAPTURE_VERSION = '0.1.0';
const SHUTDOWN_GRACE_MS = 20_000;

export const jsonLog: SpoolLogger = (level, msg, fields = {}) => {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'capture', msg, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
};

export interface LiveServiceHandle {
  assembler: CallAssembler;
  spool: CallSpool;
  uploader: CallUploader;
  events: CallEventsClient;
  site: SiteLink;
  capture: LiveCapture;
  stop(): Promise<void>;
}

/** Starts everything; resolves once packets are being captured. */
export async function startLiveService(config: CaptureConfig, log: SpoolLogger = jsonLog): Promise<LiveServiceHandle> {
  const startedAt = Date.now();
  const ca = config.caFile ? await fs.readFile(config.caFile) : undefined;
  const backend = new BackendClient({
    serverUrl: config.serverUrl,
    apiKey: config.apiKey,
    ca,
    version: CAPTURE_VERSION,
  });
  const clock = { nowUs: 0 };
  const encodePool = config.encodeWorkers > 0 ? EncodeWorkerPool.create(config.encodeWorkers) : null;
  const spool = await CallSpool.open({
    encodePool,
    root: config.spoolDir,
    capacityBytes: config.spoolMaxBytes,
    siteKey: apiKeyPrefix(config.apiKey),
    clock,
    muteDtmf: config.muteDtmf,
    opus: { complexity: config.opusComplexity },
    log,
  });
  const sequence = new EventSequence(join(config.spoolDir, 'event-seq.json'));
  await sequence.load();
  const events = new CallEventsClient(backend, sequence, { log });
  const assembler = new CallAssembler(
    {
      direction: { internalNetworks: config.internalNetworks, extensionPattern: config.extensionPattern },
      muteDtmf: config.muteDtmf,
      mediaLogFactory: spool.mediaLogFactory,
      onCallProgress: (progress) => {
        spool.onCallProgress(progress);
        events.publish(progress);
      },
    },
    (call) => spool.onCallEnded(call),
  );
  const pipeline = new PacketPipeline(new ClockedSink(assembler, clock));
  const uploader = new CallUploader(spool.store, backend, { log });

  let capture: LiveCapture | null = null;
  let lastFrames = 0;
  let lastFiguresAt = Date.now();
  const figures = (): HeartbeatFigures => {
    const now = Date.now();
    const frames = pipeline.counters.frames;
    const perSecond = (frames - lastFrames) / Math.max(0.001, (now - lastFiguresAt) / 1000);
    lastFrames = frames;
    lastFiguresAt = now;
    const drops = capture?.stats() ?? { kernelDrops: 0, interfaceDrops: 0 };
    const status = spool.status();
    return {
      packetsPerSecond: Math.round(perSecond * 10) / 10,
      kernelDrops: drops.kernelDrops,
      interfaceDrops: drops.interfaceDrops,
      activeCalls: assembler.activeCalls,
      spoolBytes: status.spoolBytes,
      spoolCapacityBytes: status.spoolCapacityBytes,
      lastUploadAt: status.lastUploadAt,
      version: CAPTURE_VERSION,
      uptimeSeconds: Math.floor((now - startedAt) / 1000),
      pendingUploads: status.pendingUploads,
    };
  };
  const site = new SiteLink(backend, {
    cachePath: join(config.spoolDir, 'site-config.json'),
    figures,
    onConfig: (siteConfig) => {
      assembler.setDirectionRules(directionRulesOf(siteConfig));
      events.lines = siteConfig.lines;
    },
    log,
  });
  await site.loadCachedConfig();

  capture = await LiveCapture.start({ interface: config.captureInterface, filter: config.captureFilter }, pipeline);
  // On a quiet port time must still move on: timeouts and lingering calls close from the wall clock
  // (libpcap stamps packets with it too).
  const ticker = setInterval(() => {
    try {
      assembler.tick(Date.now() * 1000);
    } catch (error) {
      log('error', 'closing calls on the clock failed', { error: String((error as Error)?.stack ?? error) });
    }
  }, 1000);
  spool.startTimers();
  uploader.start();
  events.start();
  site.start();
  log('info', 'capturing', {
    interface: config.captureInterface,
    filter: config.captureFilter,
    linkType: capture.linkType,
    server: config.serverUrl.origin,
    apiKey: `${apiKeyPrefix(config.apiKey)}_…`,
    spool: config.spoolDir,
    spoolMaxBytes: config.spoolMaxBytes,
    pendingUploads: spool.status().pendingUploads,
  });

  const running = capture;
  return {
    assembler,
    spool,
    uploader,
    events,
    site,
    capture: running,
    async stop() {
      running.stop();
      clearInterval(ticker);
      events.stop();
      await site.stop();
      await spool.close();
      // Finished calls still being spooled get a moment; whatever is left is redone at the next start.
      await Promise.race([spool.idle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
      await encodePool?.close();
      await uploader.stop();
      backend.close();
      log('info', 'stopped', { activeCalls: assembler.activeCalls, ...pipeline.counters });
    },
  };
}

/** The process entry of the live service: configuration from the environment, runs until a signal. */
export async function runLiveService(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: CaptureConfig;
  try {
    config = loadCaptureConfig(env);
  } catch (error) {
    if (!(error instanceof CaptureConfigError)) throw error;
    // Plain text, one problem a line: this is read by whoever is installing the box.
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  let service: LiveServiceHandle;
  try {
    service = await startLiveService(config);
  } catch (error) {
    jsonLog('error', 'capture could not start', { error: (error as Error).message });
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  jsonLog('info', `received ${signal}, stopping`);
  await service.stop();
  return 0;
}

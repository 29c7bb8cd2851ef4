import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRun, JobsService, JobView } from '../../../core/jobs/jobs.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { FlexdConnector } from '../connectors/connector.entity';
import { FlexdPaths } from '../flexdplayer-paths';
import { MappingProfilesService } from '../mapping/mapping-profiles.service';
import { Delivery, listDeliveries, StabilityTracker } from './delivery-scan';
import { FileImporter, ImportDeferred, ImportOutcome } from './file-importer';

export const SCAN_EVERY_MS = 5_000;
/** A recording whose profile requires a sidecar waits this long for it, then fails saying so. */
export const SIDECAR_WAIT_MS = 10 * 60_000;
/** On-demand scans with more files than this run as a job the UI can follow. */
export const BATCH_JOB_THRESHOLD = 20;
/** Files imported side by side within one connector (the machine has few cores). */
const PARALLEL = 2;
export const IMPORT_JOB = 'flexdplayer.import';

export interface ScanSummary {
  imported: number;
  duplicates: number;
  failed: number;
  quarantined: number;
  /** Still being written (or waiting for a sidecar): a later scan looks again. */
  pending: number;
  /** Storage was unavailable: left in place for a later scan. */
  deferred: number;
  /** Files of no known kind, left alone. */
  ignored: number;
  files: ImportOutcome[];
}

const emptySummary = (): ScanSummary => ({
  imported: 0,
  duplicates: 0,
  failed: 0,
  quarantined: 0,
  pending: 0,
  deferred: 0,
  ignored: 0,
  files: [],
});

/**
 * Scans connectors' folders: every SCAN_EVERY_MS in the background and whenever asked. Scans of one
 * connector never overlap (a file is imported once); complete deliveries go to the FileImporter.
 */
@Injectable()
export class ConnectorScans implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectorScans.name);
  private readonly stability = new StabilityTracker();
  private readonly chains = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly paths: FlexdPaths,
    private readonly profiles: MappingProfilesService,
    private readonly importer: FileImporter,
    private readonly jobs: JobsService,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.register<{ connectorId: string }, ScanSummary>(IMPORT_JOB, (run) => this.jobScan(run));
    this.timer = setInterval(() => {
      this.round = this.round.then(() => this.scanAll()).catch(() => undefined);
    }, SCAN_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.round.catch(() => undefined);
    await Promise.all([...this.chains.values()].map((c) => c.catch(() => undefined)));
  }

  /** An admin's "scan now": small batches answer with the outcome, large ones start a job. */
  async onDemand(connector: FlexdConnector): Promise<{ summary: ScanSummary } | { job: JobView }> {
    const { deliveries } = await listDeliveries(this.paths.dirs(connector).scan);
    if (deliveries.length > BATCH_JOB_THRESHOLD)
      return { job: await this.jobs.start(IMPORT_JOB, { connectorId: connector.id }) };
    return { summary: await this.scan(connector) };
  }

  /** One scan of one connector, after any scan of it still running. */
  scan(connector: FlexdConnector, progress?: (done: number, total: number) => Promise<void>): Promise<ScanSummary> {
    const previous = this.chains.get(connector.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.scanNow(connector, progress));
    this.chains.set(connector.id, next);
    void next
      .finally(() => this.chains.get(connector.id) === next && this.chains.delete(connector.id))
      .catch(() => undefined);
    return next;
  }

  /** Runs work on a connector's files while no scan of it runs (retry, quarantine release). */
  exclusive<T>(connectorId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(connectorId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.chains.set(connectorId, next);
    return next;
  }

  private async scanAll(): Promise<void> {
    const connectors = await this.dataSource.getRepository(FlexdConnector).find({ where: { enabled: true } });
    for (const connector of connectors) {
      if (this.stopping) return;
      await this.scan(connector).catch((error: Error) =>
        this.logger.warn(`connector ${connector.id}: scan failed: ${error.message}`),
      );
    }
  }

  private async jobScan(run: JobRun<{ connectorId: string }>): Promise<ScanSummary> {
    const connector = await this.dataSource
      .getRepository(FlexdConnector)
      .findOneOrFail({ where: { id: run.params.connectorId, tenantId: run.tenantId } });
    return this.scan(connector, (done, total) => run.progress((done / total) * 100, `${done} / ${total} files`));
  }

  private async scanNow(
    connector: FlexdConnector,
    progress?: (done: number, total: number) => Promise<void>,
  ): Promise<ScanSummary> {
    const summary = emptySummary();
    const dirs = this.paths.dirs(connector);
    const { deliveries, strays } = await listDeliveries(dirs.scan);
    summary.ignored = strays.length;
    const profile = await this.context.runAsTenant(connector.tenantId, () =>
      this.profiles.get(connector.mappingProfileId),
    );
    const now = Date.now();
    const prefix = `${connector.id}/`;
    this.stability.keepOnly(prefix, new Set(deliveries.map((d) => prefix + d.audioName)));
    const ready: Delivery[] = [];
    for (const d of deliveries) {
      const stable = this.stability.ready(prefix + d.audioName, d, connector.settleSeconds * 1000, now);
      const waitingForSidecar =
        profile.sidecar.required && !d.sidecarName && !d.markerNames.length && now - d.mtimeMs < SIDECAR_WAIT_MS;
      if (stable && !waitingForSidecar) ready.push(d);
      else summary.pending++;
    }
    let done = 0;
    const total = ready.length;
    const take = async () => {
      for (let d = ready.shift(); d; d = ready.shift()) {
        await this.importCounted(connector, d, summary);
        this.stability.forget(prefix + d.audioName);
        await progress?.(++done, total);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, take));
    await this.dataSource.getRepository(FlexdConnector).update(connector.id, { lastScanAt: new Date() });
    return summary;
  }

  private async importCounted(connector: FlexdConnector, d: Delivery, summary: ScanSummary): Promise<void> {
    try {
      const outcome = await this.importer.run(connector, d);
      summary.files.push(outcome);
      if (outcome.status === 'imported') summary.imported++;
      else if (outcome.status === 'duplicate') summary.duplicates++;
      else if (outcome.status === 'failed') summary.failed++;
      else if (outcome.status === 'quarantined') summary.quarantined++;
    } catch (error) {
      summary.deferred++;
      const why = error instanceof ImportDeferred ? 'storage unavailable' : 'unexpected error';
      this.logger.warn(
        `connector ${connector.id}: ${d.audioName} left for later (${why}): ${(error as Error).message}`,
      );
    }
  }
}

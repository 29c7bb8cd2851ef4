import { promises as fs } from 'node:fs';
import { DirectionClassifier, type DirectionRules } from '../calls/call-direction';
import { writeFileDurably } from '../spool/durable-files';
import type { SpoolLogger } from '../spool/spool-store';
import { type BackendClient, BackendUnreachableError, jsonOf } from './backend-client';
import type { SiteLine } from './site-party';

// The box's standing with its site on the backend (docs/api-contract-core.md, "The capture box"):
// a heartbeat every 10 s with the figures the site status and its alerts are made of, and the
// site's rules (internal networks, extension patterns, lines), fetched at start and again whenever
// a heartbeat answers that they changed. The last rules are kept in the spool for a start without
// the backend.

export const HEARTBEAT_PATH = '/api/v1/flexlog/heartbeat';
export const CONFIG_PATH = '/api/v1/flexlog/config';

/** GET /api/v1/flexlog/config. */
export interface SiteConfig {
  siteId: string;
  name: string;
  internalNetworks: string[];
  extensionPatterns: string[];
  /** One anchored expression for all extension patterns, or null. */
  extensionPattern: string | null;
  lines: SiteLine[];
  heartbeatIntervalSeconds: number;
  updatedAt: string;
}

/** The body of POST /api/v1/flexlog/heartbeat (counters count since the capture started). */
export interface HeartbeatFigures {
  packetsPerSecond: number;
  kernelDrops: number;
  interfaceDrops: number;
  activeCalls: number;
  spoolBytes: number;
  spoolCapacityBytes: number;
  lastUploadAt: string | null;
  version: string;
  uptimeSeconds: number;
  pendingUploads: number;
}

/** The site's rules as the call assembler takes them; throws naming the rule that is invalid. */
export function directionRulesOf(config: SiteConfig): DirectionRules {
  const rules: DirectionRules = {
    internalNetworks: config.internalNetworks,
    extensionPattern: config.extensionPattern ?? undefined,
  };
  new DirectionClassifier(rules);
  return rules;
}

export interface SiteLinkOptions {
  figures: () => HeartbeatFigures;
  onConfig: (config: SiteConfig) => void;
  /** Where the last configuration is kept (in the spool directory). */
  cachePath: string;
  intervalMs?: number;
  log?: SpoolLogger;
}

export class SiteLink {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private knownConfigAt: string | null = null;
  private failures = 0;
  lastBeatAt: Date | null = null;
  lastProblem: string | null = null;
  private readonly log: SpoolLogger;

  constructor(
    private readonly backend: BackendClient,
    private readonly options: SiteLinkOptions,
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** The configuration kept from the last run, applied; null when there is none. */
  async loadCachedConfig(): Promise<SiteConfig | null> {
    try {
      const config = JSON.parse(await fs.readFile(this.options.cachePath, 'utf8')) as SiteConfig;
      this.apply(config, 'cached');
      return config;
    } catch {
      return null;
    }
  }

  /** Fetches, applies and keeps the site's configuration; null when the backend cannot be asked. */
  async fetchConfig(): Promise<SiteConfig | null> {
    try {
      const response = await this.backend.request('GET', CONFIG_PATH, { timeoutMs: 10_000 });
      const config = response.status === 200 ? jsonOf<SiteConfig>(response) : null;
      if (!config) {
        this.log('warn', 'the site configuration could not be fetched', {
          status: response.status,
          body: response.text.slice(0, 300),
        });
        return null;
      }
      if (!this.apply(config, 'fetched')) return null;
      await writeFileDurably(this.options.cachePath, `${JSON.stringify(config, null, 2)}\n`);
      return config;
    } catch (error) {
      this.log('warn', 'the site configuration could not be fetched', {
        error: String((error as Error).message ?? error),
      });
      return null;
    }
  }

  private apply(config: SiteConfig, origin: 'cached' | 'fetched'): boolean {
    try {
      directionRulesOf(config);
    } catch (error) {
      this.log('error', 'the site configuration has an invalid rule; the previous rules stay', {
        error: (error as Error).message,
      });
      return false;
    }
    this.knownConfigAt = config.updatedAt;
    this.options.onConfig(config);
    this.log('info', `site configuration ${origin}`, {
      site: config.name,
      siteId: config.siteId,
      updatedAt: config.updatedAt,
    });
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs ?? 10_000);
    this.timer.unref();
    void this.beat();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
  }

  /** One heartbeat (skipped while the previous one is still under way). */
  beat(): Promise<void> {
    this.beating ??= this.sendBeat().finally(() => (this.beating = null));
    return this.beating;
  }

  private async sendBeat(): Promise<void> {
    let problem: string;
    try {
      const body = Buffer.from(JSON.stringify(this.options.figures()));
      const response = await this.backend.request('POST', HEARTBEAT_PATH, {
        headers: { 'content-type': 'application/json' },
        body,
        timeoutMs: 8000,
      });
      if (response.status === 200) {
        const answer = jsonOf<{ configUpdatedAt?: string }>(response);
        if (this.failures > 0) this.log('info', 'heartbeats resumed', { afterFailures: this.failures });
        this.failures = 0;
        this.lastProblem = null;
        this.lastBeatAt = new Date();
        if (answer?.configUpdatedAt && answer.configUpdatedAt !== this.knownConfigAt) await this.fetchConfig();
        return;
      }
      problem = `HTTP ${response.status}: ${response.text.slice(0, 300)}`;
    } catch (error) {
      problem = error instanceof BackendUnreachableError ? error.message : String(error);
    }
    this.failures++;
    this.lastProblem = problem;
    if (this.failures === 1 || this.failures % 30 === 0) {
      this.log('warn', 'heartbeat failed; the backend will mark the site offline if this lasts', {
        problem,
        failuresInARow: this.failures,
      });
    }
  }
}

import type { FlexlogSite } from '../sites/site.entity';
import type { SiteHealth } from './site-health.entity';

// What a site's figures mean: the pure part of health monitoring, decided from the stored row and
// "now" so tests (and the scheduler) control time by passing it in.

export const CONDITIONS = ['offline', 'drops', 'uploadStalled', 'spoolFull'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** The health column recording whether the admins were told the condition holds. */
export const ALERT_COLUMN = {
  offline: 'alertOffline',
  drops: 'alertDrops',
  uploadStalled: 'alertUploadStalled',
  spoolFull: 'alertSpoolFull',
} as const satisfies Record<Condition, keyof SiteHealth>;

/** Finished calls waiting this long with no upload: uploads have stalled. */
export const UPLOAD_STALL_MS = 30 * 60_000;
/** The spool alert rises at 90 % and clears under 80 %, so a spool hovering at 90 % sends two mails, not two hundred. */
const SPOOL_FULL = 0.9;
const SPOOL_CLEAR = 0.8;
const DROP_WINDOW_MS = 60_000;

export interface HeartbeatFigures {
  packetsPerSecond: number;
  kernelDrops: number;
  interfaceDrops: number;
  activeCalls: number;
  spoolBytes: number;
  spoolCapacityBytes: number;
  lastUploadAt: Date | null;
  version: string;
  uptimeSeconds: number;
  pendingUploads: number | null;
}

type Thresholds = Pick<FlexlogSite, 'offlineAfterSeconds' | 'dropAlertThreshold'>;

export function isOffline(site: Thresholds, health: Pick<SiteHealth, 'lastSeenAt'>, now: Date): boolean {
  return !!health.lastSeenAt && now.getTime() - health.lastSeenAt.getTime() > site.offlineAfterSeconds * 1000;
}

/**
 * The conditions that hold now. A site never heard from has none; an offline site only `offline`
 * (its other figures are stale, so their alerts stay as they were until it reports again).
 */
export function siteConditions(site: Thresholds, h: SiteHealth, now: Date): Partial<Record<Condition, boolean>> {
  if (!h.lastSeenAt) return {};
  if (isOffline(site, h, now)) return { offline: true };
  const spool = h.spoolCapacityBytes ? (h.spoolBytes ?? 0) / h.spoolCapacityBytes : 0;
  return {
    offline: false,
    drops: (h.dropsPerMinute ?? 0) > site.dropAlertThreshold,
    uploadStalled: !!h.uploadWaitingSince && now.getTime() - h.uploadWaitingSince.getTime() > UPLOAD_STALL_MS,
    spoolFull: spool >= (h.alertSpoolFull ? SPOOL_CLEAR : SPOOL_FULL),
  };
}

/**
 * The health row after a heartbeat, and the packets dropped since the one before. Drop counters
 * count since the capture started: a counter or uptime that went back means it restarted, and
 * everything it counts is new. The drop rate is over the last minute's heartbeats, never
 * extrapolated from a shorter span, and a report covering a long silence is spread over it.
 */
export function nextHealth(prev: SiteHealth, hb: HeartbeatFigures, now: Date) {
  const total = hb.kernelDrops + hb.interfaceDrops;
  const prevTotal = (prev.kernelDrops ?? 0) + (prev.interfaceDrops ?? 0);
  const continued =
    !!prev.lastSeenAt && prev.uptimeSeconds !== null && hb.uptimeSeconds >= prev.uptimeSeconds && total >= prevTotal;
  const newDrops = continued ? total - prevTotal : total;
  const covered = continued
    ? Math.max(1, (now.getTime() - (prev.lastSeenAt as Date).getTime()) / 1000)
    : Math.max(1, hb.uptimeSeconds);
  const recent = (JSON.parse(prev.recentDrops ?? '[]') as Array<[number, number, number]>).filter(
    ([at]) => at > now.getTime() - DROP_WINDOW_MS,
  );
  recent.push([now.getTime(), newDrops, covered]);
  const drops = recent.reduce((sum, [, n]) => sum + n, 0);
  const seconds = recent.reduce((sum, [, , s]) => sum + s, 0);
  const lastUploadAt = hb.lastUploadAt && hb.lastUploadAt > now ? now : hb.lastUploadAt;
  const patch: Partial<SiteHealth> = {
    firstSeenAt: prev.firstSeenAt ?? now,
    lastSeenAt: now,
    packetsPerSecond: Math.round(hb.packetsPerSecond),
    kernelDrops: hb.kernelDrops,
    interfaceDrops: hb.interfaceDrops,
    recentDrops: JSON.stringify(recent),
    dropsPerMinute: Math.round((drops * 60) / Math.max(seconds, 60)),
    activeCalls: hb.activeCalls,
    spoolBytes: hb.spoolBytes,
    spoolCapacityBytes: hb.spoolCapacityBytes,
    pendingUploads: hb.pendingUploads,
    lastUploadAt,
    version: hb.version,
    uptimeSeconds: hb.uptimeSeconds,
    uploadWaitingSince: uploadWaitingSince(prev, hb, lastUploadAt, now),
  };
  return { patch, newDrops };
}

/**
 * Since when finished calls wait for an upload. A capture that reports `pendingUploads` says so
 * itself; otherwise a call ending (active calls falling) is taken as one more call to upload. Any
 * upload is progress and restarts the clock: a slow backlog is not a stall, silence after calls is.
 */
function uploadWaitingSince(prev: SiteHealth, hb: HeartbeatFigures, lastUploadAt: Date | null, now: Date) {
  const progressed = (lastUploadAt?.getTime() ?? null) !== (prev.lastUploadAt?.getTime() ?? null);
  if (hb.pendingUploads !== null) {
    if (hb.pendingUploads === 0) return null;
    return progressed ? now : (prev.uploadWaitingSince ?? now);
  }
  const callEnded = prev.activeCalls !== null && hb.activeCalls < prev.activeCalls;
  // An upload in the same heartbeat as a call's end is most likely that call's.
  if (progressed) return null;
  return prev.uploadWaitingSince ?? (callEnded ? now : null);
}

import type { FlexlogSite } from '../sites/site.entity';
import { ALERT_COLUMN, CONDITIONS, Condition, isOffline } from './site-conditions';
import type { HeartbeatMinute } from './heartbeat-minute.entity';
import type { SiteHealth } from './site-health.entity';

/** The latest heartbeat's figures as the status page and the alerts show them. */
export interface SiteFigures {
  packetsPerSecond: number;
  kernelDrops: number;
  interfaceDrops: number;
  dropsPerMinute: number;
  activeCalls: number;
  spoolBytes: number;
  spoolCapacityBytes: number;
  /** 0-100, one decimal; null when the capture reports no capacity. */
  spoolPercent: number | null;
  lastUploadAt: Date | null;
  pendingUploads: number | null;
  version: string;
  uptimeSeconds: number;
}

export interface SiteStatus {
  /** `never`: no heartbeat yet (the box is not installed, or its key is wrong). */
  state: 'online' | 'offline' | 'never';
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  latest: SiteFigures | null;
  /** The conditions the admins were last told hold (mail and webhook on each change). */
  alerts: Condition[];
}

export interface MinuteView {
  minute: Date;
  heartbeats: number;
  packetsPerSecond: number;
  packetsPerSecondMax: number;
  drops: number;
  activeCalls: number;
  spoolBytes: number;
}

export function figuresOf(h: SiteHealth): SiteFigures | null {
  if (!h.lastSeenAt) return null;
  const spoolBytes = h.spoolBytes ?? 0;
  const capacity = h.spoolCapacityBytes ?? 0;
  return {
    packetsPerSecond: h.packetsPerSecond ?? 0,
    kernelDrops: h.kernelDrops ?? 0,
    interfaceDrops: h.interfaceDrops ?? 0,
    dropsPerMinute: h.dropsPerMinute ?? 0,
    activeCalls: h.activeCalls ?? 0,
    spoolBytes,
    spoolCapacityBytes: capacity,
    spoolPercent: capacity ? Math.round((spoolBytes / capacity) * 1000) / 10 : null,
    lastUploadAt: h.lastUploadAt,
    pendingUploads: h.pendingUploads,
    version: h.version ?? '',
    uptimeSeconds: h.uptimeSeconds ?? 0,
  };
}

export function statusOf(site: FlexlogSite, h: SiteHealth, now: Date): SiteStatus {
  return {
    state: !h.lastSeenAt ? 'never' : isOffline(site, h, now) ? 'offline' : 'online',
    firstSeenAt: h.firstSeenAt,
    lastSeenAt: h.lastSeenAt,
    latest: figuresOf(h),
    alerts: CONDITIONS.filter((c) => h[ALERT_COLUMN[c]]),
  };
}

export const minuteView = (m: HeartbeatMinute): MinuteView => ({
  minute: m.minute,
  heartbeats: m.heartbeats,
  packetsPerSecond: Math.round(m.packetsPerSecondSum / Math.max(1, m.heartbeats)),
  packetsPerSecondMax: m.packetsPerSecondMax,
  drops: m.drops,
  activeCalls: m.activeCallsMax,
  spoolBytes: m.spoolBytes,
});

import { newSiteHealth, SiteHealth } from './site-health.entity';
import { HeartbeatFigures, nextHealth, siteConditions, UPLOAD_STALL_MS } from './site-conditions';

const site = { offlineAfterSeconds: 60, dropAlertThreshold: 100 };
const T0 = new Date('2026-04-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const fresh = () => newSiteHealth('s', 't');

const beat = (over: Partial<HeartbeatFigures> = {}): HeartbeatFigures => ({
  packetsPerSecond: 5000,
  kernelDrops: 0,
  interfaceDrops: 0,
  activeCalls: 2,
  spoolBytes: 1000,
  spoolCapacityBytes: 1_000_000,
  lastUploadAt: null,
  version: '1.0.0',
  uptimeSeconds: 100,
  pendingUploads: null,
  ...over,
});

/** Feeds heartbeats at the given seconds and answers the row after the last one. */
function run(beats: Array<[number, Partial<HeartbeatFigures>]>, start = fresh()): SiteHealth {
  return beats.reduce((h, [s, over]) => Object.assign(h, nextHealth(h, beat(over), at(s)).patch), start);
}

describe('site conditions', () => {
  it('a site never heard from has no conditions; silence longer than the limit is offline and freezes the rest', () => {
    expect(siteConditions(site, fresh(), T0)).toEqual({});
    const h = run([[0, {}]]);
    expect(siteConditions(site, h, at(60))).toMatchObject({ offline: false, drops: false });
    expect(siteConditions(site, h, at(60.001))).toEqual({ offline: true });
  });

  it('counts drops over the last minute, with restarts and long silences taken into account', () => {
    // 30 drops per 10-s heartbeat = 180 a minute, once a full minute is in the window.
    const beats: Array<[number, Partial<HeartbeatFigures>]> = [[0, { kernelDrops: 0, uptimeSeconds: 100 }]];
    for (let i = 1; i <= 6; i++)
      beats.push([i * 10, { kernelDrops: i * 20, interfaceDrops: i * 10, uptimeSeconds: 100 + i * 10 }]);
    let h = run(beats);
    expect(h.dropsPerMinute).toBe(180);
    expect(siteConditions(site, h, at(60)).drops).toBe(true);
    // The counters stop: the window empties over the next minute.
    for (let i = 7; i <= 13; i++)
      h = run([[i * 10, { kernelDrops: 120, interfaceDrops: 60, uptimeSeconds: 100 + i * 10 }]], h);
    expect(h.dropsPerMinute).toBe(0);
    // A restart (uptime back to 5 s) counts its 40 drops as new, spread over no less than a minute.
    h = run([[140, { kernelDrops: 40, interfaceDrops: 0, uptimeSeconds: 5 }]], h);
    expect(h.dropsPerMinute).toBe(40);
    // One report after an hour of silence with 600 more drops: 10 a minute, not 600.
    const quiet = run([[3740, { kernelDrops: 640, interfaceDrops: 0, uptimeSeconds: 3605 }]], h);
    expect(quiet.dropsPerMinute).toBe(10);
  });

  it('a few drops in the first heartbeat are not extrapolated to a rate', () => {
    const h = run([[0, { kernelDrops: 50, uptimeSeconds: 10 }]]);
    expect(h.dropsPerMinute).toBe(50);
    expect(siteConditions(site, h, at(1)).drops).toBe(false);
  });

  it('uploads stall when a finished call waits half an hour with no upload; progress restarts the clock', () => {
    const uploaded = at(-5);
    let h = run([
      [0, { activeCalls: 3, lastUploadAt: uploaded }],
      [10, { activeCalls: 2, lastUploadAt: uploaded }], // a call ended, nothing uploaded after it
    ]);
    expect(h.uploadWaitingSince).toEqual(at(10));
    const stallAt = 10 + UPLOAD_STALL_MS / 1000;
    h = run([[stallAt, { activeCalls: 2, lastUploadAt: uploaded }]], h);
    expect(siteConditions(site, h, at(stallAt)).uploadStalled).toBe(false);
    h = run([[stallAt + 1, { activeCalls: 2, lastUploadAt: uploaded }]], h);
    expect(siteConditions(site, h, at(stallAt + 1)).uploadStalled).toBe(true);
    h = run([[stallAt + 10, { activeCalls: 2, lastUploadAt: at(stallAt + 9) }]], h);
    expect(h.uploadWaitingSince).toBeNull();
    expect(siteConditions(site, h, at(stallAt + 10)).uploadStalled).toBe(false);
  });

  it('a long call or the first call after a quiet night is not a stall', () => {
    const h = run([
      [0, { activeCalls: 0, lastUploadAt: at(-8 * 3600) }],
      [10, { activeCalls: 1, lastUploadAt: at(-8 * 3600) }],
      [3600, { activeCalls: 1, lastUploadAt: at(-8 * 3600), spoolBytes: 50_000_000 }],
    ]);
    expect(h.uploadWaitingSince).toBeNull();
    expect(siteConditions(site, h, at(3600)).uploadStalled).toBe(false);
  });

  it('pendingUploads, when the capture sends it, decides', () => {
    let h = run([[0, { pendingUploads: 4, activeCalls: 9, lastUploadAt: at(-60) }]]);
    expect(h.uploadWaitingSince).toEqual(at(0));
    h = run([[1900, { pendingUploads: 4, activeCalls: 9, lastUploadAt: at(-60) }]], h);
    expect(siteConditions(site, h, at(1900)).uploadStalled).toBe(true);
    h = run([[1910, { pendingUploads: 0, activeCalls: 8, lastUploadAt: at(-60) }]], h);
    expect(h.uploadWaitingSince).toBeNull();
  });

  it('the spool alert rises at 90 % and clears only under 80 %', () => {
    const h = run([[0, { spoolBytes: 900, spoolCapacityBytes: 1000 }]]);
    expect(siteConditions(site, h, at(0)).spoolFull).toBe(true);
    h.alertSpoolFull = true;
    Object.assign(h, nextHealth(h, beat({ spoolBytes: 850, spoolCapacityBytes: 1000 }), at(10)).patch);
    expect(siteConditions(site, h, at(10)).spoolFull).toBe(true);
    Object.assign(h, nextHealth(h, beat({ spoolBytes: 799, spoolCapacityBytes: 1000 }), at(20)).patch);
    expect(siteConditions(site, h, at(20)).spoolFull).toBe(false);
  });

  it('a last upload reported in the future (a fast clock on the box) is taken as now', () => {
    const h = run([[0, { lastUploadAt: at(3600) }]]);
    expect(h.lastUploadAt).toEqual(at(0));
  });
});

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { ApiKey, CreatedApiKey } from '../../core/api.types';

const BASE = '/api/v1/flexlog/sites';

export interface SiteLine {
  name: string;
  numbers: string[];
  trunks: string[];
}

/** What an admin sets on a site (the API normalises CIDR blocks and numbers). */
export interface SiteFields {
  name: string;
  location: string | null;
  internalNetworks: string[];
  extensionPatterns: string[];
  lines: SiteLine[];
  offlineAfterSeconds: number;
  dropAlertThreshold: number;
  webhookUrl: string | null;
}

export type SiteCondition = 'offline' | 'drops' | 'uploadStalled' | 'spoolFull';

/** The latest heartbeat's figures; drop counters count since the capture started. */
export interface SiteFigures {
  packetsPerSecond: number;
  kernelDrops: number;
  interfaceDrops: number;
  dropsPerMinute: number;
  activeCalls: number;
  spoolBytes: number;
  spoolCapacityBytes: number;
  spoolPercent: number | null;
  lastUploadAt: string | null;
  pendingUploads: number | null;
  version: string;
  uptimeSeconds: number;
}

export interface SiteStatus {
  state: 'online' | 'offline' | 'never';
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  latest: SiteFigures | null;
  alerts: SiteCondition[];
}

export interface Site extends SiteFields {
  id: string;
  webhookSecretSet: boolean;
  createdAt: string;
  updatedAt: string;
  /** Null for a site made before health tracking existed: shown like `never`. */
  status: SiteStatus | null;
}

/** A webhook URL set for the first time comes back with its signing secret, in this answer only. */
export type SavedSite = Omit<Site, 'status'> & { webhookSecret?: string };

export type SiteState = SiteStatus['state'];

export const siteState = (site: Site): SiteState => site.status?.state ?? 'never';

/** One entry per line or comma of a text area, blanks dropped ("a, b\nc" -> [a, b, c]). */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const joinList = (items: readonly string[]): string => items.join('\n');

/**
 * The form path of an API field name: `lines[0].numbers[2]` -> `lines.0.numbers.2`, then shortened
 * from the end until `exists` accepts it, because a list typed in one text area is one control.
 */
export function formPathOf(field: string, exists: (path: string) => boolean): string | null {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (let n = parts.length; n > 0; n--) {
    const path = parts.slice(0, n).join('.');
    if (exists(path)) return path;
  }
  return null;
}

/** Seconds since `iso` at `now`, never negative (clocks of browser and server differ a little). */
export function secondsSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  return Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
}

@Injectable({ providedIn: 'root' })
export class FlexlogSitesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<Site[]> {
    return this.http.get<Site[]>(BASE);
  }

  create(fields: SiteFields): Observable<SavedSite> {
    return this.http.post<SavedSite>(BASE, fields);
  }

  update(id: string, fields: SiteFields): Observable<SavedSite> {
    return this.http.patch<SavedSite>(`${BASE}/${encodeURIComponent(id)}`, fields);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/${encodeURIComponent(id)}`);
  }

  keys(siteId: string): Observable<ApiKey[]> {
    return this.http.get<ApiKey[]>(`${BASE}/${encodeURIComponent(siteId)}/api-keys`);
  }

  createKey(siteId: string, name: string): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>(`${BASE}/${encodeURIComponent(siteId)}/api-keys`, { name });
  }

  revokeKey(siteId: string, keyId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/${encodeURIComponent(siteId)}/api-keys/${encodeURIComponent(keyId)}`);
  }
}

import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { AuditPage, User } from '../core/api.types';
import {
  CallDetail,
  CallPage,
  CallPatch,
  PeaksAnswer,
  PlaceListing,
  RecordingPolicy,
  ShareLink,
} from './recordings.types';

export const CALLS = '/api/v1/calls';
/** Audit actions that say someone listened to or took away a recording. */
export const ACCESS_ACTIONS = [
  'recording.played',
  'recording.downloaded',
  'recording.played.shared',
  'recording.shared',
] as const;
/** How far back the access list looks per action (the audit API filters by action, not by target). */
const ACCESS_LOOKBACK = 500;

export type SearchQuery = Record<string, string>;

export function audioUrl(callId: string, options: { download?: boolean; format?: 'wav' } = {}): string {
  const query = new URLSearchParams();
  if (options.download) query.set('download', '1');
  if (options.format) query.set('format', options.format);
  const qs = query.toString();
  return `${CALLS}/${encodeURIComponent(callId)}/audio${qs ? '?' + qs : ''}`;
}

export function exportUrl(query: SearchQuery): string {
  return `${CALLS}/export.csv?${new URLSearchParams(query).toString()}`;
}

@Injectable({ providedIn: 'root' })
export class RecordingsApi {
  private readonly http = inject(HttpClient);

  search(query: SearchQuery, cursor: string | null, limit: number): Observable<CallPage> {
    let params = new HttpParams({ fromObject: query }).set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<CallPage>(CALLS, { params });
  }

  call(id: string): Observable<CallDetail> {
    return this.http.get<CallDetail>(`${CALLS}/${encodeURIComponent(id)}`);
  }

  update(id: string, patch: CallPatch): Observable<void> {
    return this.http.patch<void>(`${CALLS}/${encodeURIComponent(id)}`, patch);
  }

  peaks(id: string): Observable<PeaksAnswer> {
    return this.http.get<PeaksAnswer>(`${CALLS}/${encodeURIComponent(id)}/peaks`);
  }

  share(id: string, expiresInHours: number): Observable<ShareLink> {
    return this.http.post<ShareLink>(`${CALLS}/${encodeURIComponent(id)}/share`, { expiresInHours });
  }

  /** The tenant's sites and lines with their names: the choices of the site and line filters. */
  places(): Observable<PlaceListing> {
    return this.http.get<PlaceListing>('/api/v1/recordings/places');
  }

  /** tenantAdmin and auditor only (the API refuses other roles). */
  policy(): Observable<RecordingPolicy> {
    return this.http.get<RecordingPolicy>('/api/v1/recordings/policy');
  }

  /** tenantAdmin only: maps user ids to names for the user column and filter. */
  users(): Observable<User[]> {
    return this.http.get<User[]>('/api/v1/users');
  }

  /**
   * Who played, downloaded or shared the call. The audit API filters by action but not by
   * target, so this reads the newest entries of each access action and keeps the call's.
   */
  accessLog(action: (typeof ACCESS_ACTIONS)[number], callId: string): Observable<AuditPage['items']> {
    const params = new HttpParams().set('action', action).set('limit', ACCESS_LOOKBACK);
    return this.http
      .get<AuditPage>('/api/v1/audit', { params })
      .pipe(map((page) => page.items.filter((i) => i.target === callId)));
  }

  /**
   * A cheap authenticated call: the interceptor refreshes an expired session on its 401, so
   * requests the browser makes on its own (media element, download link, fetch) carry a valid cookie.
   */
  touchSession(): Observable<unknown> {
    return this.http.get('/api/v1/auth/me');
  }
}

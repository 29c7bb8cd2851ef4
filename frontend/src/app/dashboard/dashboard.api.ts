import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { PartyView } from '../recordings/recordings.types';
import { CallPlace } from '../recordings/call-place';

export interface CallCounts {
  inbound: number;
  outbound: number;
  internal: number;
  missed: number;
  total: number;
  talkSeconds: number;
}

export interface DashboardMissedCall {
  id: string;
  startedAt: string;
  direction: 'inbound' | 'outbound' | 'internal';
  party: PartyView;
  extension: string | null;
  ringSeconds: number;
  calledBackAt: string | null;
}

export interface RankedExtension {
  extension: string;
  calls: number;
  talkSeconds: number;
}

export interface StoredAmount {
  count: number;
  bytes: number;
}

/** GET /api/v1/recordings/dashboard (backend/src/products/recordings/dashboard). */
export interface Dashboard {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  timeZone: string;
  totals: CallCounts;
  buckets: Array<CallCounts & { start: string }>;
  /** Site and line names as in the call search (null when unknown: the id is shown then). */
  busiestLines: Array<CallPlace & { calls: number; talkSeconds: number }>;
  busiestExtensions: { byCalls: RankedExtension[]; byTalkTime: RankedExtension[] };
  missedCalls: DashboardMissedCall[];
  storage: {
    usedBytes: number;
    capacityBytes: number | null;
    months: Array<StoredAmount & { month: string }>;
    days: Array<StoredAmount & { day: string }>;
  } | null;
}

@Injectable({ providedIn: 'root' })
export class DashboardApi {
  private readonly http = inject(HttpClient);

  get(query: { from: string; to: string; bucket: 'hour' | 'day' }): Observable<Dashboard> {
    return this.http.get<Dashboard>('/api/v1/recordings/dashboard', { params: query });
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

// Types and calls of docs/api-contract-core.md: recording policy, usage, deletion tool,
// evidence export and jobs.

export type RecordingSource = 'flexlog' | 'flexdplayer' | 'upload';
export const RECORDING_SOURCES: RecordingSource[] = ['flexlog', 'flexdplayer', 'upload'];

export interface StoragePolicy {
  capacityBytes: number | null;
  whenFull: 'rotate' | 'reject';
  retentionDays: number | null;
  retentionBySource: Partial<Record<RecordingSource, number | null>>;
  operatorsSeeOwnCallsOnly: boolean;
  shareLinkMaxHours: number;
  audioQuality: 'telephone' | 'wideband';
}

export interface StorageUsage {
  count: number;
  bytes: number;
  storedBytes: number;
  capacityBytes: number | null;
  percent: number | null;
  whenFull: 'rotate' | 'reject';
  held: { count: number; bytes: number };
  bySource: { source: string; count: number; bytes: number }[];
  months: { month: string; count: number; bytes: number }[];
  forecast: {
    fullOn: string | null;
    daysUntilFull: number | null;
    bytesPerDay: number;
    trendBytesPerDay: number;
    basisDays: number;
  };
}

/** The filters of GET /api/v1/calls the deletion tool and the evidence export accept. */
export type CallFilter = Record<string, string>;

export interface DeletionPreview {
  count: number;
  bytes: number;
  heldExcluded: { count: number; bytes: number };
  confirmToken: string;
  expiresAt: string;
}

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  stage: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type ExportSelection = { number: string } | { filter: CallFilter };

export const PUBLIC_KEY_URL = '/api/v1/evidence/public-key';

export function exportDownloadUrl(jobId: string): string {
  return `/api/v1/evidence/exports/${encodeURIComponent(jobId)}/download`;
}

@Injectable({ providedIn: 'root' })
export class StorageApi {
  private readonly http = inject(HttpClient);

  usage(): Observable<StorageUsage> {
    return this.http.get<StorageUsage>('/api/v1/recordings/usage');
  }

  policy(): Observable<StoragePolicy> {
    return this.http.get<StoragePolicy>('/api/v1/recordings/policy');
  }

  updatePolicy(patch: Partial<StoragePolicy>): Observable<StoragePolicy> {
    return this.http.patch<StoragePolicy>('/api/v1/recordings/policy', patch);
  }

  previewDeletion(filter: CallFilter): Observable<DeletionPreview> {
    return this.http.post<DeletionPreview>('/api/v1/recordings/deletions/preview', { filter });
  }

  startDeletion(filter: CallFilter, confirmToken: string): Observable<Job> {
    return this.http.post<Job>('/api/v1/recordings/deletions', { filter, confirmToken });
  }

  startExport(selection: ExportSelection): Observable<Job> {
    return this.http.post<Job>('/api/v1/evidence/exports', selection);
  }

  job(id: string): Observable<Job> {
    return this.http.get<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`);
  }
}

/** POST /api/v1/evidence/verify: the report on an uploaded export ZIP. */
export interface EvidenceVerifyReport {
  ok: boolean;
  keyFingerprint: string;
  embeddedKeyMatches: boolean;
  manifest: { exportId: string; createdAt: string; calls: number } | null;
  checkedFiles: number;
  problems: { file: string; problem: string; detail: string }[];
  upload: { bytes: number; sha256: string };
}

export function verifyEvidence(http: HttpClient, file: File): Observable<EvidenceVerifyReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return http.post<EvidenceVerifyReport>('/api/v1/evidence/verify', form);
}

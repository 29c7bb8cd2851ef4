import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { SearchQuery } from '../recordings/recordings.api';
import {
  CallMetrics,
  DeadLetter,
  Dictionary,
  DictionaryBody,
  JobPage,
  KeywordHits,
  SearchPage,
  Segment,
  SummarySettings,
  Transcript,
  TranscriptJob,
  TranscriptStatus,
  VnoteSettings,
  VnoteSettingsBody,
} from './vnote.types';

export const VNOTE = '/api/v1/vnote';

/** A segment as the API sends it: no id, confidence per mille (0-1000). */
export type SegmentWire = Omit<Segment, 'confidence' | 'key'> & { confidence: number };
/** GET /vnote/calls/:callId/transcript: the job's fields and the segments, flat. */
export type TranscriptWire = TranscriptJob & { segments: SegmentWire[] };

/** The key that ties a keyword or search hit (channel + start) to its segment. */
export const segmentKey = (s: { channel: number | null; startMs: number | null }) => `${s.channel}:${s.startMs}`;

/** Per mille from the API -> 0..1, clamped (a bad value must not paint a bubble invisible). */
export function mapSegment(wire: SegmentWire): Segment {
  const c = Number.isFinite(wire.confidence) ? wire.confidence / 1000 : 1;
  return { ...wire, key: segmentKey(wire), confidence: Math.min(1, Math.max(0, c)) };
}

/** Segments in conversation order whatever order the wire had. */
export function mapTranscript(wire: TranscriptWire): Transcript {
  const { segments, ...job } = wire;
  return {
    job,
    segments: segments.map(mapSegment).sort((a, b) => a.startMs - b.startMs || a.seq - b.seq),
  };
}

const id = (v: string) => encodeURIComponent(v);

@Injectable({ providedIn: 'root' })
export class VnoteApi {
  private readonly http = inject(HttpClient);

  // --- transcription ---

  /** 404 when the call has no transcript yet. */
  transcript(callId: string): Observable<Transcript> {
    return this.http.get<TranscriptWire>(`${VNOTE}/calls/${id(callId)}/transcript`).pipe(map(mapTranscript));
  }

  /** Queues (or re-queues) the call's transcription; 409 while one is queued or running. */
  transcribe(callId: string): Observable<TranscriptJob> {
    return this.http.post<TranscriptJob>(`${VNOTE}/calls/${id(callId)}/transcribe`, {});
  }

  /** Newest first; `before` (an updatedAt) pages back. */
  jobs(status: TranscriptStatus | null, limit = 50, before: string | null = null): Observable<JobPage> {
    let params = new HttpParams().set('limit', limit);
    if (status) params = params.set('status', status);
    if (before) params = params.set('before', before);
    return this.http.get<JobPage>(`${VNOTE}/jobs`, { params });
  }

  deadLetters(includeRetried = false): Observable<DeadLetter[]> {
    const params = new HttpParams().set('includeRetried', includeRetried);
    return this.http.get<{ items: DeadLetter[] }>(`${VNOTE}/dead-letters`, { params }).pipe(map((page) => page.items));
  }

  retryDeadLetter(deadLetterId: string): Observable<TranscriptJob> {
    return this.http.post<TranscriptJob>(`${VNOTE}/dead-letters/${id(deadLetterId)}/retry`, {});
  }

  settings(): Observable<VnoteSettings> {
    return this.http.get<VnoteSettings>(`${VNOTE}/settings`);
  }

  /** tenantAdmin only; the whole object, a secret sent back as "********" keeps its stored value. */
  saveSettings(body: VnoteSettingsBody): Observable<VnoteSettings> {
    return this.http.put<VnoteSettings>(`${VNOTE}/settings`, body);
  }

  // --- search, keywords, metrics ---

  search(query: SearchQuery, cursor: string | null, limit: number): Observable<SearchPage> {
    let params = new HttpParams({ fromObject: query }).set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<SearchPage>(`${VNOTE}/search`, { params });
  }

  dictionaries(): Observable<Dictionary[]> {
    return this.http.get<Dictionary[]>(`${VNOTE}/dictionaries`);
  }

  createDictionary(body: DictionaryBody): Observable<Dictionary> {
    return this.http.post<Dictionary>(`${VNOTE}/dictionaries`, body);
  }

  updateDictionary(dictionaryId: string, body: DictionaryBody): Observable<Dictionary> {
    return this.http.patch<Dictionary>(`${VNOTE}/dictionaries/${id(dictionaryId)}`, body);
  }

  deleteDictionary(dictionaryId: string): Observable<void> {
    return this.http.delete<void>(`${VNOTE}/dictionaries/${id(dictionaryId)}`);
  }

  keywordHits(callId: string): Observable<KeywordHits> {
    return this.http.get<KeywordHits>(`${VNOTE}/calls/${id(callId)}/keyword-hits`);
  }

  /** 404 `no transcript` when the call has none. */
  metrics(callId: string): Observable<CallMetrics> {
    return this.http.get<CallMetrics>(`${VNOTE}/calls/${id(callId)}/metrics`);
  }

  summarySettings(): Observable<SummarySettings> {
    return this.http.get<SummarySettings>(`${VNOTE}/summary-settings`);
  }

  saveSummarySettings(enabled: boolean): Observable<SummarySettings> {
    return this.http.put<SummarySettings>(`${VNOTE}/summary-settings`, { enabled });
  }
}

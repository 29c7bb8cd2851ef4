import { HttpClient, HttpParams, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import type { Job } from '../admin/storage/storage.api';
import type { CustomerCard, Presence, RankView } from './realtime/popup-protocol';

const BASE = '/api/v1/popup';

export interface CustomerNumberView {
  raw: string;
  e164: string;
  display: string;
}

export interface Customer extends CustomerCard {
  numbers: CustomerNumberView[];
  createdAt: string;
  updatedAt: string;
}

export interface CustomerPage {
  items: Customer[];
  total: number;
  page: number;
  pageSize: number;
}

/** POST / PATCH body of a customer (the backend checks lengths and numbers: errors name the field). */
export interface CustomerBody {
  name: string;
  kana: string | null;
  company: string | null;
  department: string | null;
  rank: string | null;
  tags: string[];
  memo: string | null;
  numbers: string[];
  customFields: Record<string, string | null>;
}

export interface FieldDefinition {
  key: string;
  label: string;
  type: string;
}

export type ImportKey = 'phone' | 'externalId';
export const IMPORT_KEYS: ImportKey[] = ['phone', 'externalId'];
export const BASE_TARGETS = ['name', 'kana', 'company', 'department', 'rank', 'tags', 'memo', 'phone', 'externalId'];

export interface ImportUpload {
  id: string;
  fileName: string;
  encoding: 'utf-8' | 'utf-8-bom' | 'shift_jis';
  headers: string[];
  rowCount: number;
  status: 'uploaded' | 'importing' | 'imported';
  jobId: string | null;
  sample: string[][];
  suggestedMapping: Record<string, string>;
  largeFile: boolean;
}

export interface ImportRequest {
  columns: Record<string, string>;
  key: ImportKey;
  saveAs?: string;
}

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

export interface DuplicateNote {
  line: number;
  column: string;
  value: string;
  kind: 'file' | 'existing';
  otherLine?: number;
  customerId?: string;
}

export interface ImportPreview {
  rowCount: number;
  create: number;
  update: number;
  errorCount: number;
  errors: RowProblem[];
  duplicateCount: number;
  duplicates: DuplicateNote[];
}

export interface ImportResult {
  created: number;
  updated: number;
}

export type ConfirmOutcome = { result: ImportResult } | { job: Job };

export interface SavedMapping {
  name: string;
  columns: Record<string, string>;
  key: ImportKey;
  updatedAt: string;
}

export interface NamedLine {
  siteId: string;
  siteName: string;
  lineName: string;
}

export interface RoutingView {
  userId: string;
  presence: Presence;
  extensions: string[];
  lines: NamedLine[];
}

export interface CallMemo {
  id: string;
  siteId: string;
  sipCallId: string;
  text: string;
  status: 'pending' | 'attached';
  callId: string | null;
  createdAt: string;
}

/** The 応対力 HTTP API (docs/popup-realtime.md and the customer directory controllers). */
@Injectable({ providedIn: 'root' })
export class PopupApi {
  private readonly http = inject(HttpClient);

  customers(q: string, page: number, pageSize: number): Observable<CustomerPage> {
    let params = new HttpParams().set('page', page).set('pageSize', pageSize);
    if (q.trim()) params = params.set('q', q.trim());
    return this.http.get<CustomerPage>(`${BASE}/customers`, { params });
  }

  createCustomer(body: CustomerBody): Observable<Customer> {
    return this.http.post<Customer>(`${BASE}/customers`, body);
  }

  updateCustomer(id: string, body: CustomerBody): Observable<Customer> {
    return this.http.patch<Customer>(`${BASE}/customers/${encodeURIComponent(id)}`, body);
  }

  deleteCustomer(id: string): Observable<unknown> {
    return this.http.delete(`${BASE}/customers/${encodeURIComponent(id)}`);
  }

  exportCsv(encoding: 'utf-8-bom' | 'shift_jis'): Observable<HttpResponse<Blob>> {
    return this.http.get(`${BASE}/customers/export.csv`, {
      params: { encoding },
      responseType: 'blob',
      observe: 'response',
    });
  }

  ranks(): Observable<RankView[]> {
    return this.http.get<RankView[]>(`${BASE}/customer-ranks`);
  }

  fields(): Observable<FieldDefinition[]> {
    return this.http.get<FieldDefinition[]>(`${BASE}/customer-fields`);
  }

  upload(file: Blob, fileName: string): Observable<ImportUpload> {
    return this.http.post<ImportUpload>(`${BASE}/customer-imports`, file, {
      params: { fileName, encoding: 'auto' },
      headers: { 'Content-Type': 'text/csv' },
    });
  }

  preview(id: string, body: ImportRequest): Observable<ImportPreview> {
    return this.http.post<ImportPreview>(`${BASE}/customer-imports/${encodeURIComponent(id)}/preview`, body);
  }

  confirm(id: string, body: ImportRequest): Observable<ConfirmOutcome> {
    return this.http.post<ConfirmOutcome>(`${BASE}/customer-imports/${encodeURIComponent(id)}/confirm`, body);
  }

  mappings(): Observable<SavedMapping[]> {
    return this.http.get<SavedMapping[]>(`${BASE}/customer-import-mappings`);
  }

  saveMapping(name: string, body: { columns: Record<string, string>; key: ImportKey }): Observable<SavedMapping> {
    return this.http.put<SavedMapping>(`${BASE}/customer-import-mappings/${encodeURIComponent(name)}`, body);
  }

  lines(): Observable<{ items: NamedLine[] }> {
    return this.http.get<{ items: NamedLine[] }>(`${BASE}/lines`);
  }

  myRouting(): Observable<RoutingView> {
    return this.http.get<RoutingView>(`${BASE}/me/routing`);
  }

  setMyPresence(presence: Presence): Observable<RoutingView> {
    return this.http.put<RoutingView>(`${BASE}/me/presence`, { presence });
  }

  userRouting(userId: string): Observable<RoutingView> {
    return this.http.get<RoutingView>(`${BASE}/users/${encodeURIComponent(userId)}/routing`);
  }

  setUserPresence(userId: string, presence: Presence): Observable<RoutingView> {
    return this.http.put<RoutingView>(`${BASE}/users/${encodeURIComponent(userId)}/presence`, { presence });
  }

  setUserLines(userId: string, lines: Array<{ siteId: string; lineName: string }>): Observable<RoutingView> {
    return this.http.put<RoutingView>(`${BASE}/users/${encodeURIComponent(userId)}/lines`, { lines });
  }

  saveMemo(siteId: string, sipCallId: string, text: string): Observable<CallMemo> {
    return this.http.post<CallMemo>(`${BASE}/memos`, { siteId, sipCallId, text });
  }

  memos(siteId: string, sipCallId: string): Observable<{ items: CallMemo[] }> {
    return this.http.get<{ items: CallMemo[] }>(`${BASE}/memos`, { params: { siteId, sipCallId } });
  }
}

/** The API's `errors: [{field, message}]` as lines to show (or its message, or null for "try again"). */
export function problemLines(err: unknown): string[] {
  const body = (err as { error?: { errors?: Array<{ field: string; message: string }>; message?: unknown } })?.error;
  if (body?.errors?.length) return body.errors.map((e) => `${e.field}: ${e.message}`);
  if (typeof body?.message === 'string') return [body.message];
  if (Array.isArray(body?.message)) return body.message.map(String);
  return [];
}

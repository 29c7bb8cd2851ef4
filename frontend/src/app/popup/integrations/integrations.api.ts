import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

export const WEBHOOK_EVENT_TYPES = ['call.ringing', 'call.answered', 'call.ended', 'vnote.keyword'] as const;
export const CARD_FIELDS = ['name', 'company', 'department', 'kana', 'email', 'rank', 'memo', 'url'] as const;
export const HISTORY_FIELDS = [
  'number',
  'customerName',
  'direction',
  'extension',
  'lineName',
  'answeredBy',
  'ringingAt',
  'answeredAt',
  'endedAt',
  'talkSeconds',
  'callKey',
] as const;

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  maxAttempts: number;
  httpStatus: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  resentFrom: string | null;
  createdAt: string;
}

export interface ExternalCard {
  source: 'lookup-hook' | 'kintone';
  name: string;
  [field: string]: string | null | undefined;
}

/** The answer of a test button: the mapped cards, or why there are none. */
export interface LookupTestResult {
  ok: boolean;
  durationMs: number;
  cards: ExternalCard[];
  error: string | null;
  httpStatus?: number | null;
  kintoneCode?: string | null;
}

export interface LookupHook {
  enabled: boolean;
  urlTemplate: string;
  headerNames: string[];
  timeoutMs: number;
  cacheTtlSeconds: number;
  recordsPath: string | null;
  mapping: Record<string, string>;
}

export interface LookupHookInput extends Omit<LookupHook, 'headerNames'> {
  headers?: Record<string, string> | null;
}

export interface KintoneConnector {
  configured: boolean;
  enabled?: boolean;
  baseUrl?: string;
  appId?: number;
  phoneField?: string;
  mapping?: Record<string, string>;
  historyEnabled?: boolean;
  historyAppId?: number | null;
  historyMapping?: Record<string, string>;
  timeoutMs?: number;
  cacheTtlSeconds?: number;
  apiTokenSet: boolean;
  historyApiTokenSet: boolean;
  lastWriteBackAt: string | null;
  lastWriteBackError: string | null;
}

export interface KintoneInput {
  enabled: boolean;
  baseUrl: string;
  appId: number;
  apiToken?: string;
  phoneField: string;
  mapping: Record<string, string>;
  historyEnabled: boolean;
  historyAppId: number | null;
  historyApiToken?: string;
  historyMapping: Record<string, string>;
  timeoutMs: number;
  cacheTtlSeconds: number;
}

const WEBHOOKS = '/api/v1/webhooks';
const INTEGRATIONS = '/api/v1/popup/integrations';

/** The backend's webhook, lookup hook and kintone endpoints (tenant admins). */
@Injectable({ providedIn: 'root' })
export class IntegrationsApi {
  private readonly http = inject(HttpClient);

  webhooks(): Observable<Webhook[]> {
    return this.http.get<Webhook[]>(WEBHOOKS);
  }
  createWebhook(body: WebhookInput): Observable<Webhook & { secret: string }> {
    return this.http.post<Webhook & { secret: string }>(WEBHOOKS, body);
  }
  updateWebhook(id: string, body: Partial<WebhookInput>): Observable<Webhook> {
    return this.http.patch<Webhook>(`${WEBHOOKS}/${id}`, body);
  }
  deleteWebhook(id: string): Observable<void> {
    return this.http.delete<void>(`${WEBHOOKS}/${id}`);
  }
  testWebhook(id: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(`${WEBHOOKS}/${id}/test`, {});
  }
  deliveries(id: string, status?: string): Observable<WebhookDelivery[]> {
    const params = status ? new HttpParams().set('status', status) : undefined;
    return this.http.get<WebhookDelivery[]>(`${WEBHOOKS}/${id}/deliveries`, { params });
  }
  resend(id: string, deliveryId: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(`${WEBHOOKS}/${id}/deliveries/${deliveryId}/resend`, {});
  }

  lookupHook(): Observable<LookupHook> {
    return this.http.get<LookupHook>(`${INTEGRATIONS}/lookup-hook`);
  }
  saveLookupHook(body: LookupHookInput): Observable<LookupHook> {
    return this.http.put<LookupHook>(`${INTEGRATIONS}/lookup-hook`, body);
  }
  testLookupHook(number: string): Observable<LookupTestResult> {
    return this.http.post<LookupTestResult>(`${INTEGRATIONS}/lookup-hook/test`, { number });
  }

  kintone(): Observable<KintoneConnector> {
    return this.http.get<KintoneConnector>(`${INTEGRATIONS}/kintone`);
  }
  saveKintone(body: KintoneInput): Observable<KintoneConnector> {
    return this.http.put<KintoneConnector>(`${INTEGRATIONS}/kintone`, body);
  }
  testKintone(number: string): Observable<LookupTestResult> {
    return this.http.post<LookupTestResult>(`${INTEGRATIONS}/kintone/test`, { number });
  }
}

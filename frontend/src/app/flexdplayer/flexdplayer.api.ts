import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { AbstractControl, FormGroup } from '@angular/forms';
import { Observable } from 'rxjs';
import { apiMessage } from '../core/api-errors';
import { ApiErrorBody } from '../core/api.types';
import { Job } from '../admin/storage/storage.api';

const BASE = '/api/v1/flexdplayer';

export const CONNECTOR_TYPES = ['https-push', 'sftp-drop', 'sftp-pull', 'folder'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** A connector as GET /connectors answers: settings per type, secrets only as "set or not". */
export interface Connector {
  id: string;
  type: ConnectorType;
  name: string;
  enabled: boolean;
  mappingProfileId: string;
  settleSeconds: number;
  lastScanAt: string | null;
  createdAt: string;
  updatedAt: string;
  scanDir: string;
  sftpDrop?: { username: string | null; passwordSet: boolean; authorizedKeys: string[] };
  sftpPull?: {
    host: string;
    port: number;
    username: string;
    remoteDir: string;
    pollIntervalSeconds: number;
    hostKeySha256: string | null;
    passwordSet: boolean;
    privateKeySet: boolean;
  };
  folder?: { path: string };
  httpsPush?: { tokenSet: boolean; path: string };
}

/** The body of POST (all of it) and PATCH (all but `type`) /connectors. */
export interface ConnectorBody {
  type?: ConnectorType;
  name: string;
  enabled: boolean;
  mappingProfileId: string | null;
  settleSeconds: number;
  sftpDrop?: { username?: string; password?: string; authorizedKeys?: string[] };
  sftpPull?: {
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    privateKey?: string;
    passphrase?: string;
    remoteDir?: string;
    pollIntervalSeconds?: number;
    hostKeySha256?: string | null;
  };
  folder?: { path: string };
}

export interface ScanSummary {
  imported: number;
  duplicates: number;
  failed: number;
  quarantined: number;
  pending: number;
  deferred: number;
  ignored: number;
}
export type ScanResult = { summary: ScanSummary } | { job: Job };

export const MAPPED_FIELDS = [
  'ownNumber',
  'otherNumber',
  'direction',
  'startedAt',
  'durationSeconds',
  'callId',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export const SIDECAR_FORMATS = ['auto', 'csv', 'json', 'xml', 'none'] as const;

export interface MappingProfile {
  id: string;
  name: string;
  builtIn: boolean;
  patternKind: 'tokens' | 'regex';
  fileNamePattern: string | null;
  sidecar: {
    format: (typeof SIDECAR_FORMATS)[number];
    required: boolean;
    fields: Partial<Record<MappedField, string>>;
    csvDelimiter: string;
    timeFormat: string;
  };
  directionValues: { inbound: string[]; outbound: string[] };
  timeZone: string;
}
export type MappingProfileBody = Omit<MappingProfile, 'id' | 'builtIn'>;

export interface FieldProblem {
  field: string;
  message: string;
}

export interface MappingTestResult {
  ok: boolean;
  fields: {
    ownNumber: string;
    ownE164: string | null;
    otherNumber: string;
    direction: 'inbound' | 'outbound';
    startedAt: string;
    durationSeconds: number | null;
    callId: string | null;
  } | null;
  found: Partial<Record<MappedField, { value: string; from: 'fileName' | 'sidecar' }>>;
  errors: FieldProblem[];
}

export interface MappingTestBody {
  fileName: string;
  sidecarName?: string;
  sidecarContent?: string;
  profile?: MappingProfileBody;
}

export interface CarrierLine {
  id: string;
  e164: string;
  label: string | null;
  userId: string | null;
  createdAt: string;
  updatedAt: string;
}

export const FILE_LISTS = ['failed', 'quarantined', 'imported'] as const;
export type FileList = (typeof FILE_LISTS)[number];

export interface DeliveredFile {
  id: string;
  connectorId: string;
  fileName: string;
  storedName: string;
  sidecarName: string | null;
  status: 'imported' | 'duplicate' | 'failed' | 'quarantined' | 'retrying';
  reason: string | null;
  sha256: string | null;
  bytes: number | null;
  ownNumber: string | null;
  parsed: Partial<MappingTestResult['fields']> | null;
  /** The stored call's id (imported and duplicate files). */
  callId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ImportOutcome {
  fileId: string;
  status: DeliveredFile['status'];
  callId: string | null;
  reason: string | null;
}

export interface OpeningTest {
  state: 'waiting' | 'candidate' | 'confirmed';
  candidateAt: string | null;
  candidateNote: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

const id = (value: string) => encodeURIComponent(value);

export interface SftpServerStatus {
  enabled: boolean;
  port: number | null;
  hostKeyFingerprint: string | null;
}

/** The FlexDPlayer API of the current tenant (backend/src/products/flexdplayer). */
@Injectable({ providedIn: 'root' })
export class FlexdplayerApi {
  private readonly http = inject(HttpClient);

  /** The built-in SFTP server carriers deliver to: its port and host key fingerprint (null when off). */
  sftpServer(): Observable<SftpServerStatus> {
    return this.http.get<SftpServerStatus>(`${BASE}/sftp-server`);
  }
  connectors(): Observable<Connector[]> {
    return this.http.get<Connector[]>(`${BASE}/connectors`);
  }
  createConnector(body: ConnectorBody): Observable<Connector & { pushToken?: string }> {
    return this.http.post<Connector & { pushToken?: string }>(`${BASE}/connectors`, body);
  }
  updateConnector(connectorId: string, body: Partial<ConnectorBody>): Observable<Connector> {
    return this.http.patch<Connector>(`${BASE}/connectors/${id(connectorId)}`, body);
  }
  deleteConnector(connectorId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/connectors/${id(connectorId)}`);
  }
  rotatePushToken(connectorId: string): Observable<{ pushToken: string }> {
    return this.http.post<{ pushToken: string }>(`${BASE}/connectors/${id(connectorId)}/push-token`, {});
  }
  scan(connectorId: string): Observable<ScanResult> {
    return this.http.post<ScanResult>(`${BASE}/connectors/${id(connectorId)}/scan`, {});
  }

  profiles(): Observable<MappingProfile[]> {
    return this.http.get<MappingProfile[]>(`${BASE}/mapping-profiles`);
  }
  createProfile(body: MappingProfileBody): Observable<MappingProfile> {
    return this.http.post<MappingProfile>(`${BASE}/mapping-profiles`, body);
  }
  updateProfile(profileId: string, body: MappingProfileBody): Observable<MappingProfile> {
    return this.http.patch<MappingProfile>(`${BASE}/mapping-profiles/${id(profileId)}`, body);
  }
  deleteProfile(profileId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/mapping-profiles/${id(profileId)}`);
  }
  testProfile(profileId: string, body: MappingTestBody): Observable<MappingTestResult> {
    return this.http.post<MappingTestResult>(`${BASE}/mapping-profiles/${id(profileId)}/test`, body);
  }

  lines(): Observable<CarrierLine[]> {
    return this.http.get<CarrierLine[]>(`${BASE}/lines`);
  }
  createLine(body: { number: string; label: string | null; userId: string | null }) {
    return this.http.post<CarrierLine & { released: number }>(`${BASE}/lines`, body);
  }
  updateLine(lineId: string, body: { label: string | null; userId: string | null }): Observable<CarrierLine> {
    return this.http.patch<CarrierLine>(`${BASE}/lines/${id(lineId)}`, body);
  }
  deleteLine(lineId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/lines/${id(lineId)}`);
  }

  files(status: FileList, limit = 100): Observable<DeliveredFile[]> {
    return this.http.get<DeliveredFile[]>(`${BASE}/files`, { params: { status, limit } });
  }
  retryFile(fileId: string): Observable<ImportOutcome> {
    return this.http.post<ImportOutcome>(`${BASE}/files/${id(fileId)}/retry`, {});
  }
  assignFile(fileId: string, lineId: string): Observable<ImportOutcome> {
    return this.http.post<ImportOutcome>(`${BASE}/files/${id(fileId)}/assign`, { lineId });
  }

  openingTest(): Observable<OpeningTest> {
    return this.http.get<OpeningTest>(`${BASE}/opening-test`);
  }
  confirmOpeningTest(): Observable<OpeningTest> {
    return this.http.post<OpeningTest>(`${BASE}/opening-test/confirm`, {});
  }
}

/**
 * Puts the API's field errors on the form's controls: `sftpDrop.authorizedKeys[1]` lands on
 * `sftpDrop.authorizedKeys` (one text area for every key) with the key's number in front.
 * Returns the messages no control took (a whole-group problem such as "needs a password or a key").
 */
export function applyFieldProblems(form: FormGroup, err: unknown): string[] {
  if (!(err instanceof HttpErrorResponse)) return [];
  const problems = (err.error as ApiErrorBody | null)?.errors ?? [];
  const left: string[] = [];
  for (const p of problems) {
    const indexed = /^(.*)\[(\d+)\]$/.exec(p.field);
    const path = indexed ? indexed[1] : p.field;
    const message = indexed ? `#${Number(indexed[2]) + 1}: ${p.message}` : p.message;
    const control: AbstractControl | null = form.get(path);
    if (control && !(control instanceof FormGroup)) {
      control.setErrors({ ...(control.errors ?? {}), server: message });
      control.markAsTouched();
    } else left.push(`${p.field}: ${p.message}`);
  }
  return left;
}

/** After a failed save: the messages for the form's banner (none when every problem sits on its field). */
export function bannerProblems(form: FormGroup, err: unknown): string[] | null {
  const left = applyFieldProblems(form, err);
  if (left.length) return left;
  return form.invalid ? null : [apiMessage(err) ?? ''];
}

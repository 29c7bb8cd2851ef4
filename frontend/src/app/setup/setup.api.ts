import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { NO_LOGIN_REDIRECT } from '../core/auth.interceptor';
import { DeploymentMode, Product, TestResult } from '../core/api.types';

const BASE = '/api/setup';

export interface OrganizationConfig {
  organizationName: string;
  deploymentMode: DeploymentMode;
  timeZone: string;
  products: Product[];
}

export interface StorageConfig {
  driver: 'local' | 's3';
  localPath?: string;
  endpoint?: string;
  region?: string;
  bucket?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}

export interface EncryptionConfig {
  mode: 'local' | 'kms';
  kmsKeyId?: string;
  kmsRegion?: string;
  kmsEndpoint?: string;
}

export interface MailConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/** Sent as `{ skip: true }`; GET /api/setup/state reports a skipped step as `{ skipped: true }`. */
export type MailSetting = MailConfig | { skip: true } | { skipped: true };

export function isMailSkipped(mail: MailSetting): mail is { skip: true } | { skipped: true } {
  return 'skip' in mail || 'skipped' in mail;
}

export interface SetupState {
  setupComplete: boolean;
  adminCreated: boolean;
  organization: OrganizationConfig | null;
  storage: StorageConfig | null;
  encryption: EncryptionConfig | null;
  mail: MailSetting | null;
}

/** The first-run wizard endpoints (no /v1; see docs/api-contract-core.md). */
@Injectable({ providedIn: 'root' })
export class SetupApi {
  private readonly http = inject(HttpClient);

  state(): Observable<SetupState> {
    // A missing session is expected here (no admin yet); never bounce to /login for it.
    const context = new HttpContext().set(NO_LOGIN_REDIRECT, true);
    return this.http.get<SetupState>(`${BASE}/state`, { context });
  }

  createAdmin(body: { email: string; displayName: string; password: string }): Observable<unknown> {
    return this.http.post(`${BASE}/admin`, body);
  }

  saveOrganization(body: OrganizationConfig): Observable<unknown> {
    return this.http.put(`${BASE}/organization`, body);
  }

  testStorage(body: StorageConfig): Observable<TestResult> {
    return this.http.post<TestResult>(`${BASE}/storage/test`, body);
  }

  saveStorage(body: StorageConfig): Observable<unknown> {
    return this.http.put(`${BASE}/storage`, body);
  }

  testEncryption(body: EncryptionConfig): Observable<TestResult> {
    return this.http.post<TestResult>(`${BASE}/encryption/test`, body);
  }

  saveEncryption(body: EncryptionConfig): Observable<unknown> {
    return this.http.put(`${BASE}/encryption`, body);
  }

  testMail(body: MailConfig & { testRecipient: string }): Observable<TestResult> {
    return this.http.post<TestResult>(`${BASE}/mail/test`, body);
  }

  saveMail(body: MailSetting): Observable<unknown> {
    return this.http.put(`${BASE}/mail`, body);
  }

  complete(): Observable<{ setupComplete: boolean }> {
    return this.http.post<{ setupComplete: boolean }>(`${BASE}/complete`, null);
  }
}

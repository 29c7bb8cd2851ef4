import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

const BASE = '/api/v1/support-grants';

export type SupportScope = 'read' | 'admin';

export interface SupportGrant {
  id: string;
  scope: SupportScope;
  reason: string;
  granteeUserId: string | null;
  grantedBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
}

export interface CreateSupportGrant {
  scope: SupportScope;
  reason: string;
  expiresInHours: number;
  granteeEmail?: string;
}

export type GrantState = 'active' | 'expired' | 'revoked';

export function grantState(grant: SupportGrant): GrantState {
  if (grant.revokedAt) return 'revoked';
  return grant.active ? 'active' : 'expired';
}

@Injectable({ providedIn: 'root' })
export class SupportGrantsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<SupportGrant[]> {
    return this.http.get<SupportGrant[]>(BASE);
  }

  create(body: CreateSupportGrant): Observable<SupportGrant> {
    return this.http.post<SupportGrant>(BASE, body);
  }

  revoke(id: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/${encodeURIComponent(id)}`);
  }
}

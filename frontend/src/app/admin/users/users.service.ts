import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { Locale, Role, User } from '../../core/api.types';

const BASE = '/api/v1/users';

/** A user as the admin API returns it: with the extensions whose calls become theirs. */
export type ManagedUser = User & { extensions?: string[] };

/** What the API accepts for one extension (digits and * # +, 1-32 characters). */
export const EXTENSION_PATTERN = /^[0-9*#+]{1,32}$/;
export const MAX_EXTENSIONS = 20;

/** "201, 202 203" -> ["201", "202", "203"]: split on commas, spaces (also full-width), duplicates dropped. */
export function parseExtensions(text: string): string[] {
  const parts = text
    .normalize('NFKC')
    .split(/[\s,、]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return [...new Set(parts)];
}

export interface CreateUserBody {
  email: string;
  displayName: string;
  roles: Role[];
  password?: string;
  extensions?: string[];
}

@Injectable({ providedIn: 'root' })
export class UsersService {
  private readonly http = inject(HttpClient);

  list(): Observable<ManagedUser[]> {
    return this.http.get<ManagedUser[]>(BASE);
  }

  create(body: CreateUserBody): Observable<{ user: User; temporaryPassword?: string }> {
    return this.http.post<{ user: User; temporaryPassword?: string }>(BASE, body);
  }

  update(
    id: string,
    patch: { displayName?: string; roles?: Role[]; disabled?: boolean; locale?: Locale; extensions?: string[] },
  ): Observable<ManagedUser> {
    return this.http.patch<ManagedUser>(`${BASE}/${id}`, patch);
  }

  resetPassword(id: string): Observable<{ temporaryPassword: string }> {
    return this.http.post<{ temporaryPassword: string }>(`${BASE}/${id}/reset-password`, null);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/${id}`);
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { Locale, Role, User } from '../../core/api.types';

const BASE = '/api/v1/users';

export interface CreateUserBody {
  email: string;
  displayName: string;
  roles: Role[];
  password?: string;
}

@Injectable({ providedIn: 'root' })
export class UsersService {
  private readonly http = inject(HttpClient);

  list(): Observable<User[]> {
    return this.http.get<User[]>(BASE);
  }

  create(body: CreateUserBody): Observable<{ user: User; temporaryPassword?: string }> {
    return this.http.post<{ user: User; temporaryPassword?: string }>(BASE, body);
  }

  update(
    id: string,
    patch: { displayName?: string; roles?: Role[]; disabled?: boolean; locale?: Locale },
  ): Observable<User> {
    return this.http.patch<User>(`${BASE}/${id}`, patch);
  }

  resetPassword(id: string): Observable<{ temporaryPassword: string }> {
    return this.http.post<{ temporaryPassword: string }>(`${BASE}/${id}/reset-password`, null);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/${id}`);
  }
}

import { Injectable, inject, signal } from '@angular/core';
import { User } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { UsersService } from '../admin/users/users.service';

/**
 * The tenant's users for choosing a line's user. Only tenant admins may list users, so an auditor
 * sees no names (the backend's users API is tenantAdmin only): the lines still read, without them.
 */
@Injectable({ providedIn: 'root' })
export class FlexdUsers {
  private readonly usersApi = inject(UsersService);
  private readonly auth = inject(AuthService);
  readonly list = signal<User[]>([]);

  load(): void {
    if (!this.auth.roles().includes('tenantAdmin')) return;
    this.usersApi.list().subscribe({ next: (users) => this.list.set(users), error: () => this.list.set([]) });
  }

  name(userId: string): string {
    return this.list().find((u) => u.id === userId)?.displayName ?? '—';
  }
}

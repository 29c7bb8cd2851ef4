import { Injectable } from '@nestjs/common';
import { ClsService, ClsStore } from 'nestjs-cls';
import type { Role } from '../users/user.entity';

export interface Principal {
  kind: 'user' | 'apiKey';
  id: string;
  tenantId: string;
  email: string | null;
  roles: Role[];
  /** Set for an API key bound to a FlexLog site: the key, not the request, decides the site. */
  siteId?: string;
  /** Set when vendor staff act in a tenant under its support grant. */
  supportGrantId?: string;
}

export interface RequestStore extends ClsStore {
  principal?: Principal;
  tenantId?: string;
  ip?: string;
}

/**
 * The one mechanism that knows the current tenant: set by the auth guard from the authenticated
 * request, kept in AsyncLocalStorage, read by every tenant-scoped repository.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestStore>) {}

  tenantId(): string {
    const id = this.cls.isActive() ? this.cls.get('tenantId') : undefined;
    if (!id) throw new Error('no tenant in the request context: tenant-owned data needs an authenticated tenant');
    return id;
  }

  /** The tenant in force, if any (the principal's, or the one a job runs as). */
  currentTenantId(): string | undefined {
    return this.cls.isActive() ? this.cls.get('tenantId') : undefined;
  }

  principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get('principal') : undefined;
  }

  ip(): string | undefined {
    return this.cls.isActive() ? this.cls.get('ip') : undefined;
  }

  setPrincipal(principal: Principal): void {
    this.cls.set('principal', principal);
    this.cls.set('tenantId', principal.tenantId);
  }

  /** Runs work as a given tenant (setup, vendor provisioning, jobs), in a fresh context. */
  runAsTenant<T>(tenantId: string, work: () => Promise<T>, principal?: Principal): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.cls.set('tenantId', tenantId);
      if (principal) this.cls.set('principal', principal);
      return work();
    });
  }
}

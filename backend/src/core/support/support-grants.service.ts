import { ForbiddenException, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { fieldError } from '../../platform/http/field-errors';
import { AuditService } from '../audit/audit.service';
import { Principal, RequestContext } from '../tenancy/request-context';
import { TenantsService } from '../tenancy/tenants.service';
import { InjectTenantRepository, TenantRepository } from '../tenancy/tenant-repository';
import { Role, User } from '../users/user.entity';
import { SUPPORT_SCOPES, SupportGrant, SupportScope } from './support-grant.entity';

/** A grant lasts at most a week: support access is for an incident, not a standing arrangement. */
export const SUPPORT_MAX_HOURS = 24 * 7;
const VENDOR_STAFF: Role[] = ['vendorSupport', 'vendorAdmin'];
const ROLES_UNDER: Record<SupportScope, Role[]> = { read: ['auditor'], admin: ['tenantAdmin'] };

export class CreateSupportGrantDto {
  @ApiProperty({ enum: SUPPORT_SCOPES }) @IsIn(SUPPORT_SCOPES) scope!: SupportScope;
  @ApiProperty() @IsString() @MinLength(5) @MaxLength(500) reason!: string;
  @ApiProperty({ minimum: 1, maximum: SUPPORT_MAX_HOURS })
  @IsInt()
  @Min(1)
  @Max(SUPPORT_MAX_HOURS)
  expiresInHours!: number;
  /** One member of the vendor's staff; every support member when absent. */
  @ApiPropertyOptional() @IsOptional() @IsEmail() granteeEmail?: string;
}

export interface SupportGrantView {
  id: string;
  tenantId: string;
  scope: SupportScope;
  reason: string;
  granteeUserId: string | null;
  grantedBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  active: boolean;
}

/**
 * Support grants: tenant admins give and revoke them; vendor staff use one by sending its id
 * (header `X-Support-Grant`), and the auth guard then lets them act in that tenant with the grant's
 * scope until it expires or is revoked. Checked on every request, so expiry needs no clean-up job.
 */
@Injectable()
export class SupportGrantsService {
  constructor(
    @InjectTenantRepository(SupportGrant) private readonly grants: TenantRepository<SupportGrant>,
    @InjectRepository(SupportGrant) private readonly allGrants: Repository<SupportGrant>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateSupportGrantDto): Promise<SupportGrantView> {
    const granter = this.ownPrincipal();
    let granteeUserId: string | null = null;
    if (dto.granteeEmail) granteeUserId = (await this.vendorStaff(dto.granteeEmail)).id;
    const now = new Date();
    const grant = this.grants.create({
      id: randomUUID(),
      scope: dto.scope,
      reason: dto.reason,
      granteeUserId,
      grantedBy: granter.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + dto.expiresInHours * 3_600_000),
      revokedAt: null,
      revokedBy: null,
    });
    await this.grants.save(grant);
    await this.audit.record({
      action: 'support.granted',
      target: grant.id,
      details: {
        scope: grant.scope,
        reason: grant.reason,
        expiresAt: grant.expiresAt,
        grantee: dto.granteeEmail ?? 'all',
      },
    });
    return view(grant);
  }

  async list(): Promise<SupportGrantView[]> {
    return (await this.grants.find({ order: { createdAt: 'DESC' }, take: 200 })).map(view);
  }

  async revoke(id: string): Promise<SupportGrantView> {
    const revoker = this.ownPrincipal();
    const grant = await this.grants.get({ id });
    if (!grant.revokedAt) {
      grant.revokedAt = new Date();
      grant.revokedBy = revoker.id;
      await this.grants.save(grant);
      await this.audit.record({ action: 'support.revoked', target: id, details: { scope: grant.scope } });
    }
    return view(grant);
  }

  /** The grants a member of the vendor's staff may use now, with the tenants' names. */
  async activeFor(user: Principal): Promise<Array<SupportGrantView & { tenantName: string }>> {
    if (!user.roles.some((r) => VENDOR_STAFF.includes(r))) return [];
    const rows = await this.allGrants.find({
      where: [
        { revokedAt: IsNull(), expiresAt: MoreThan(new Date()), granteeUserId: IsNull() },
        { revokedAt: IsNull(), expiresAt: MoreThan(new Date()), granteeUserId: user.id },
      ],
      order: { expiresAt: 'ASC' },
    });
    const names = new Map((await this.tenants.list()).map((t) => [t.id, t.name]));
    return rows.map((g) => ({ ...view(g), tenantName: names.get(g.tenantId) ?? '' }));
  }

  /**
   * The principal a member of the vendor's staff acts as under a grant, or a refusal. Every use is
   * written to the tenant's own audit log, so the tenant sees each request made under its grant.
   */
  async actAs(staff: Principal, grantId: string, request: { method: string; path: string }): Promise<Principal> {
    if (!staff.roles.some((r) => VENDOR_STAFF.includes(r))) {
      throw new ForbiddenException("X-Support-Grant: only the service provider's support staff use grants");
    }
    const operator = await this.tenants.operatorTenant();
    if (!operator || staff.tenantId !== operator.id) {
      throw new ForbiddenException("X-Support-Grant: only the service provider's support staff use grants");
    }
    const grant = /^[0-9a-f-]{36}$/i.test(grantId) ? await this.allGrants.findOne({ where: { id: grantId } }) : null;
    const usable =
      grant &&
      !grant.revokedAt &&
      grant.expiresAt.getTime() > Date.now() &&
      (grant.granteeUserId === null || grant.granteeUserId === staff.id);
    if (!grant || !usable) {
      throw new ForbiddenException(
        'X-Support-Grant: no active support grant with this id for you (expired or revoked?)',
      );
    }
    const principal: Principal = {
      kind: 'user',
      id: staff.id,
      tenantId: grant.tenantId,
      email: staff.email,
      roles: ROLES_UNDER[grant.scope],
      supportGrantId: grant.id,
    };
    await this.context.runAsTenant(
      grant.tenantId,
      () =>
        this.audit.record({
          action: 'support.access',
          target: grant.id,
          details: { method: request.method, path: request.path, scope: grant.scope },
        }),
      principal,
    );
    return principal;
  }

  /** Grants are given by the tenant's own admins, never by vendor staff acting under a grant. */
  private ownPrincipal(): Principal {
    const p = this.context.principal();
    if (!p || p.supportGrantId)
      throw new ForbiddenException("support grants are given by the tenant's own administrators");
    return p;
  }

  private async vendorStaff(email: string): Promise<User> {
    const operator = await this.tenants.operatorTenant();
    const user = operator
      ? await this.users.findOne({ where: { tenantId: operator.id, email: email.toLowerCase() } })
      : null;
    if (!user || !user.roles.some((r) => VENDOR_STAFF.includes(r))) {
      throw fieldError('granteeEmail', "is not a member of the service provider's support staff");
    }
    return user;
  }
}

function view(g: SupportGrant): SupportGrantView {
  return {
    id: g.id,
    tenantId: g.tenantId,
    scope: g.scope,
    reason: g.reason,
    granteeUserId: g.granteeUserId,
    grantedBy: g.grantedBy,
    createdAt: g.createdAt,
    expiresAt: g.expiresAt,
    revokedAt: g.revokedAt,
    active: !g.revokedAt && g.expiresAt.getTime() > Date.now(),
  };
}

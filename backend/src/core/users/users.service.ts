import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { fieldError } from '../../platform/http/field-errors';
import { definedOnly } from '../../platform/objects';
import { AuditService } from '../audit/audit.service';
import { generateTemporaryPassword, hashPassword, passwordPolicyProblems } from '../auth/password';
import { TokenService } from '../auth/token.service';
import { RequestContext } from '../tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../tenancy/tenant-repository';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { Role, User } from './user.entity';
import { UserExtensions } from './user-extensions';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  locale: string;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Extensions the user answers at. */
  extensions: string[];
}

export const userView = (u: User, extensions: string[] = []): UserView => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: u.roles,
  disabled: u.disabled,
  locale: u.locale,
  lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil : null,
  lastLoginAt: u.lastLoginAt,
  createdAt: u.createdAt,
  extensions,
});

const VENDOR_ROLES: Role[] = ['vendorAdmin', 'vendorSupport'];

@Injectable()
export class UsersService {
  constructor(
    @InjectTenantRepository(User) private readonly users: TenantRepository<User>,
    @InjectRepository(User) private readonly allUsers: Repository<User>,
    private readonly context: RequestContext,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly extensions: UserExtensions,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.users.find({ order: { createdAt: 'ASC' } });
    const ext = await this.extensions.of(
      this.context.tenantId(),
      users.map((u) => u.id),
    );
    return users.map((u) => userView(u, ext.get(u.id)));
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.get({ id });
    return userView(user, (await this.extensions.of(user.tenantId, [id])).get(id));
  }

  /** Creates an account in the current tenant; without a password a temporary one is returned once. */
  async create(dto: CreateUserDto, manager?: EntityManager): Promise<{ user: UserView; temporaryPassword?: string }> {
    this.assertMayGrant(dto.roles);
    const email = dto.email.trim().toLowerCase();
    const temporaryPassword = dto.password ? undefined : generateTemporaryPassword();
    const password = dto.password ?? (temporaryPassword as string);
    const problems = passwordPolicyProblems(password, email);
    if (problems.length) throw fieldError('password', problems.join('; '));
    const repo = manager ? manager.getRepository(User) : this.allUsers;
    if (await repo.findOne({ where: { email } })) throw new ConflictException('email: already in use');
    // Checked before the account exists: a refused extension must not leave a user behind.
    await this.extensions.assertFree(this.context.tenantId(), dto.extensions ?? [], null, manager);
    const now = new Date();
    const user = repo.create({
      id: randomUUID(),
      tenantId: this.context.tenantId(),
      email,
      displayName: dto.displayName.trim(),
      passwordHash: await hashPassword(password),
      roles: dto.roles,
      disabled: false,
      locale: dto.locale ?? 'ja',
      failedLoginCount: 0,
      lockedUntil: null,
      lastLoginAt: null,
      passwordChangedAt: now,
      createdAt: now,
    });
    await repo.insert(user);
    if (dto.extensions?.length) await this.extensions.assign(user.tenantId, user.id, dto.extensions, manager);
    await this.audit.record({
      action: 'user.created',
      target: user.id,
      details: { email, roles: dto.roles, extensions: dto.extensions ?? [] },
    });
    return { user: userView(user, dto.extensions ?? []), temporaryPassword };
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.users.get({ id });
    const self = this.context.principal()?.id === id;
    if (dto.roles) {
      this.assertMayGrant(dto.roles);
      if (self && user.roles.includes('tenantAdmin') && !dto.roles.includes('tenantAdmin')) {
        throw new ForbiddenException('you cannot remove your own administrator role');
      }
    }
    if (self && dto.disabled) throw new ForbiddenException('you cannot disable your own account');
    const before = { roles: user.roles, disabled: user.disabled, displayName: user.displayName };
    const { extensions, ...fields } = dto;
    Object.assign(user, definedOnly(fields));
    if (dto.disabled === false) user.failedLoginCount = 0;
    await this.users.save(user);
    if (extensions) await this.extensions.assign(user.tenantId, id, extensions);
    if (dto.disabled) await this.tokens.revokeAllFor(user.id);
    await this.audit.record({
      action: dto.roles ? 'user.roles.changed' : 'user.updated',
      target: id,
      details: { before, after: dto },
    });
    return this.get(id);
  }

  async resetPassword(id: string): Promise<{ temporaryPassword: string }> {
    const user = await this.users.get({ id });
    const temporaryPassword = generateTemporaryPassword();
    user.passwordHash = await hashPassword(temporaryPassword);
    user.passwordChangedAt = new Date();
    user.lockedUntil = null;
    user.failedLoginCount = 0;
    await this.users.save(user);
    await this.tokens.revokeAllFor(user.id);
    await this.audit.record({ action: 'user.password.reset', target: id });
    return { temporaryPassword };
  }

  async remove(id: string): Promise<void> {
    if (this.context.principal()?.id === id) throw new ForbiddenException('you cannot delete your own account');
    const user = await this.users.get({ id });
    await this.users.remove(user);
    await this.audit.record({ action: 'user.deleted', target: id, details: { email: user.email } });
  }

  private assertMayGrant(roles: Role[]): void {
    const mine = this.context.principal()?.roles ?? [];
    if (roles.some((r) => VENDOR_ROLES.includes(r)) && !mine.includes('vendorAdmin')) {
      throw fieldError('roles', 'vendor roles can only be granted by a vendor administrator');
    }
  }
}

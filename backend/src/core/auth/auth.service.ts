import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { TenantsService } from '../tenancy/tenants.service';
import { User } from '../users/user.entity';
import { fieldError } from '../../platform/http/field-errors';
import { DUMMY_HASH_PROMISE, hashPassword, passwordPolicyProblems, verifyPassword } from './password';
import { IssuedTokens, TokenService } from './token.service';

export interface MeView {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  locale: string;
  tenant: { id: string; name: string; products: string[]; deploymentMode: string; timeZone: string };
}

export class AccountLockedException extends HttpException {
  constructor(until: Date) {
    super(
      { statusCode: 423, error: 'Locked', message: `account locked until ${until.toISOString()}`, lockedUntil: until },
      HttpStatus.LOCKED,
    );
  }
}

@Injectable()
export class AuthService {
  /** Filled in by the setup module (deployment mode lives in system settings). */
  deploymentMode: () => Promise<string> = async () => 'single';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tokens: TokenService,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
  ) {}

  async login(emailInput: string, password: string): Promise<{ user: User; tokens: IssuedTokens }> {
    const email = emailInput.trim().toLowerCase();
    const user = await this.users.findOne({ where: { email } });
    if (!user) {
      await verifyPassword(password, await DUMMY_HASH_PROMISE);
      await this.audit.record({
        action: 'auth.login.failed',
        tenantId: null,
        target: email,
        details: { reason: 'unknown account' },
      });
      throw new UnauthorizedException('invalid credentials');
    }
    const auditAs = { tenantId: user.tenantId, actorId: user.id, actorEmail: user.email };
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      await this.audit.record({
        ...auditAs,
        action: 'auth.login.failed',
        target: user.id,
        details: { reason: 'locked' },
      });
      throw new AccountLockedException(user.lockedUntil);
    }
    const valid = await verifyPassword(password, user.passwordHash);
    if (!valid || user.disabled) {
      const failures = valid ? user.failedLoginCount : user.failedLoginCount + 1;
      const lock = failures >= this.config.auth.lockoutThreshold;
      await this.users.update(user.id, {
        failedLoginCount: lock ? 0 : failures,
        lockedUntil: lock ? new Date(Date.now() + this.config.auth.lockoutMinutes * 60_000) : user.lockedUntil,
      });
      await this.audit.record({
        ...auditAs,
        action: lock ? 'auth.account.locked' : 'auth.login.failed',
        target: user.id,
        details: { reason: user.disabled ? 'disabled' : 'wrong password', failures },
      });
      throw new UnauthorizedException('invalid credentials');
    }
    await this.users.update(user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() });
    await this.audit.record({ ...auditAs, action: 'auth.login.succeeded', target: user.id });
    return { user, tokens: await this.tokens.issue(user) };
  }

  async refresh(refreshToken: string): Promise<{ user: User; tokens: IssuedTokens }> {
    const { userId } = await this.tokens.consumeRefresh(refreshToken);
    const user = await this.activeUser(userId);
    return { user, tokens: await this.tokens.issue(user) };
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (refreshToken) await this.tokens.revoke(refreshToken);
    await this.audit.record({ action: 'auth.logout' });
  }

  /** The user behind a valid access token, or 401 when disabled, deleted or the password changed since. */
  async activeUser(userId: string, issuedAtSeconds?: number): Promise<User> {
    const user = await this.users.findOne({ where: { id: userId } });
    if (!user || user.disabled) throw new UnauthorizedException('account not active');
    if (issuedAtSeconds !== undefined && issuedAtSeconds * 1000 < user.passwordChangedAt.getTime() - 1000) {
      throw new UnauthorizedException('session ended by a password change');
    }
    return user;
  }

  async me(user: User): Promise<MeView> {
    const tenant = await this.tenants.get(user.tenantId);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: user.roles,
      locale: user.locale,
      tenant: {
        id: tenant.id,
        name: tenant.name,
        products: tenant.products,
        deploymentMode: await this.deploymentMode(),
        timeZone: tenant.timeZone,
      },
    };
  }

  async updateProfile(userId: string, patch: { displayName?: string; locale?: string }): Promise<User> {
    await this.users.update(userId, patch);
    await this.audit.record({ action: 'user.profile.updated', target: userId, details: patch });
    return this.activeUser(userId);
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const user = await this.activeUser(userId);
    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new UnauthorizedException('current password is wrong');
    }
    const problems = passwordPolicyProblems(next, user.email);
    if (problems.length) throw fieldError('newPassword', problems.join('; '));
    await this.users.update(user.id, { passwordHash: await hashPassword(next), passwordChangedAt: new Date() });
    await this.tokens.revokeAllFor(user.id);
    await this.audit.record({ action: 'auth.password.changed', target: user.id });
  }
}

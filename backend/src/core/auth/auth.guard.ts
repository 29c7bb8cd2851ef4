import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProductAccess, REQUIRED_PRODUCTS } from '../tenancy/product-access';
import { Principal, RequestContext } from '../tenancy/request-context';
import type { Product } from '../tenancy/tenant.entity';
import type { Role } from '../users/user.entity';
import { ALLOW_API_KEY, IS_PUBLIC, ROLES } from './auth.decorators';
import { ACCESS_COOKIE } from './auth-cookies';
import { ApiKeysService } from './api-keys.service';
import { AuthService } from './auth.service';
import { TokenService } from './token.service';
import { SUPPORT_GRANT_HEADER } from '../support/support-grant.entity';
import { SupportGrantsService } from '../support/support-grants.service';

/**
 * The global guard: authenticates every request that is not @Public (cookie session or API key),
 * puts the principal and its tenant into the request context, then checks @Roles. Vendor staff
 * sending `X-Support-Grant` act in the granting tenant with the grant's scope instead. Endpoints of a
 * product (@RequiresProduct) answer 403 to tenants whose contract lacks it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    private readonly context: RequestContext,
    private readonly support: SupportGrantsService,
    private readonly productAccess: ProductAccess,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const allowApiKey = !!this.reflector.getAllAndOverride(ALLOW_API_KEY, targets);
    let principal = await this.authenticate(req, allowApiKey);
    const grant = req.headers[SUPPORT_GRANT_HEADER];
    if (typeof grant === 'string' && principal.kind === 'user') {
      principal = await this.support.actAs(principal, grant, { method: req.method, path: req.path });
    }
    this.context.setPrincipal(principal);
    req.principal = principal;
    const products = this.reflector.getAllAndOverride<Product[] | undefined>(REQUIRED_PRODUCTS, targets);
    if (products?.length) await this.productAccess.assert(principal.tenantId, products);
    // An API key carries no user roles: @AllowApiKey alone admits it; @Roles speaks to users.
    if (principal.kind === 'apiKey') return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (required?.length && !principal.roles.some((r) => required.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private async authenticate(req: Request, allowApiKey: boolean): Promise<Principal> {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      if (!allowApiKey) throw new ForbiddenException('API keys may not call this endpoint');
      const key = await this.apiKeys.authenticate(header.slice(7).trim());
      const site = key.siteId ? { siteId: key.siteId } : {};
      return { kind: 'apiKey', id: key.id, tenantId: key.tenantId, email: null, roles: [], ...site };
    }
    const token = (req.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE];
    if (!token) throw new UnauthorizedException('not logged in');
    const claims = await this.tokens.verifyAccess(token);
    const user = await this.auth.activeUser(claims.sub, claims.iat);
    return { kind: 'user', id: user.id, tenantId: user.tenantId, email: user.email, roles: user.roles };
  }
}

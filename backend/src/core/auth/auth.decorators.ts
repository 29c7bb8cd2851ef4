import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';
import type { Principal } from '../tenancy/request-context';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';
export const ALLOW_API_KEY = 'auth:apiKey';

/** No authentication (health, setup status, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Any of these roles may call the handler. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** Machine clients with an API key may call the handler (off by default). */
export const AllowApiKey = () => SetMetadata(ALLOW_API_KEY, true);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

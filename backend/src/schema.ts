// Composition root of the database schema: every entity and every migration, in order.
// The app, the migration CLI and the tests all take their lists from here.
import { ApiKey } from './core/auth/api-key.entity';
import { RefreshToken } from './core/auth/refresh-token.entity';
import { AuditEntry } from './core/audit/audit-entry.entity';
import { SystemSetting } from './core/setup/system-setting.entity';
import { Tenant } from './core/tenancy/tenant.entity';
import { User } from './core/users/user.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';

export const ENTITIES = [Tenant, User, RefreshToken, ApiKey, AuditEntry, SystemSetting];
export const MIGRATIONS = [InitialSchema1764000000000];

import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '../../../core/users/user.entity';
import { UserExtension } from '../../../core/users/user-extension.entity';
import { RecordingPolicyService } from '../../recordings/policy/recording-policy.service';
import type { CallEvent } from '../../flexlog/events/call-event.dto';
import { PopupLineSubscription, PopupPresence } from './popup-routing.entities';
import type { PopupUser } from './popup-protocol';
import { PopupSocketGateway } from './popup-socket.gateway';

const ROUTING_CHANGED = 'popup:routing-changed';

/** Changes made through another way (the users API, another instance) show after at most this long. */
export const ROUTING_TTL_MS = 5_000;
const SEES_ALL = new Set(['tenantAdmin', 'supervisor', 'auditor']);

const lineKey = (siteId: string, lineName: string) => `${siteId}\u0000${lineName}`;

/** One tenant's routing, read at once: what a ringing call needs, without a query per call. */
export class TenantRouting {
  constructor(
    private readonly byExtension: Map<string, string>,
    private readonly byLine: Map<string, string[]>,
    private readonly away: Set<string>,
    private readonly users: Map<string, User>,
    private readonly ownCallsOnly: boolean,
  ) {}

  /** The available, active users of the extension and of the call's line, in a stable order. */
  targetsOf(event: Pick<CallEvent, 'siteId' | 'extension' | 'lineName'>): string[] {
    const atExtension = event.extension ? this.byExtension.get(event.extension) : undefined;
    const onLine = event.lineName ? (this.byLine.get(lineKey(event.siteId, event.lineName)) ?? []) : [];
    const candidates = new Set([...(atExtension ? [atExtension] : []), ...onLine]);
    return [...candidates].filter((id) => this.users.get(id)?.disabled === false && !this.away.has(id)).sort();
  }

  userAt(extension: string | null): string | null {
    return (extension && this.byExtension.get(extension)) || null;
  }

  person(userId: string | null): PopupUser | null {
    const user = userId ? this.users.get(userId) : undefined;
    return user ? { userId: user.id, displayName: user.displayName } : null;
  }

  /** True for an operator the recording policy limits to the calls mapped to them. */
  seesOwnCallsOnly(userId: string): boolean {
    const roles = this.users.get(userId)?.roles ?? [];
    return this.ownCallsOnly && !roles.some((r) => SEES_ALL.has(r));
  }
}

/**
 * Tenants' routing snapshots, each re-read after ROUTING_TTL_MS or at once when presence or lines
 * change (on any instance): a ringing call is routed from memory, so the popup waits for no query.
 */
@Injectable()
export class TenantRoutings implements OnModuleInit {
  private readonly snapshots = new Map<string, { at: number; routing: Promise<TenantRouting> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: RecordingPolicyService,
    private readonly gateway: PopupSocketGateway,
  ) {}

  onModuleInit(): void {
    this.gateway.onInstanceEvent(ROUTING_CHANGED, (tenantId) => this.snapshots.delete(tenantId));
  }

  get(tenantId: string): Promise<TenantRouting> {
    const known = this.snapshots.get(tenantId);
    if (known && Date.now() - known.at < ROUTING_TTL_MS) return known.routing;
    const routing = this.load(tenantId);
    this.snapshots.set(tenantId, { at: Date.now(), routing });
    routing.catch(() => this.snapshots.get(tenantId)?.routing === routing && this.snapshots.delete(tenantId));
    return routing;
  }

  /** After a change of presence or lines: this instance and the others read the tenant's routing again. */
  changed(tenantId: string): void {
    this.snapshots.delete(tenantId);
    this.gateway.toOtherInstances(ROUTING_CHANGED, tenantId);
  }

  private async load(tenantId: string): Promise<TenantRouting> {
    const [extensions, lines, away, users, policy] = await Promise.all([
      this.dataSource.getRepository(UserExtension).find({ where: { tenantId } }),
      this.dataSource.getRepository(PopupLineSubscription).find({ where: { tenantId } }),
      this.dataSource.getRepository(PopupPresence).find({ where: { tenantId, presence: 'away' } }),
      this.dataSource.getRepository(User).find({
        where: { tenantId },
        select: { id: true, displayName: true, roles: true, disabled: true },
      }),
      this.policies.get(tenantId),
    ]);
    const byLine = new Map<string, string[]>();
    for (const s of lines) {
      const key = lineKey(s.siteId, s.lineName);
      byLine.set(key, [...(byLine.get(key) ?? []), s.userId]);
    }
    return new TenantRouting(
      new Map(extensions.map((e) => [e.extension, e.userId])),
      byLine,
      new Set(away.map((p) => p.userId)),
      new Map(users.map((u) => [u.id, u])),
      policy.operatorsSeeOwnCallsOnly,
    );
  }
}

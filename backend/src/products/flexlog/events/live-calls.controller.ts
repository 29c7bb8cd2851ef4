import {
  CanActivate,
  Controller,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  BeforeApplicationShutdown,
  MessageEvent,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Observable, Subscriber } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CurrentPrincipal, Roles } from '../../../core/auth/auth.decorators';
import type { Principal } from '../../../core/tenancy/request-context';
import { RecordingPolicyService } from '../../recordings/policy/recording-policy.service';
import { CallEventsService } from './call-events.service';

/** Proxies drop a quiet connection after a minute or so: something is sent more often than that. */
const KEEP_ALIVE_MS = 25_000;

/**
 * Calls in progress are not mapped to users yet: an operator limited to their own calls sees none.
 * A guard, not the handler: an SSE answer's headers may be sent before an async handler could refuse.
 */
@Injectable()
export class LiveCallsAccess implements CanActivate {
  constructor(private readonly policies: RecordingPolicyService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const principal = ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
    const seesAll = principal.roles.some((r) => r === 'tenantAdmin' || r === 'supervisor' || r === 'auditor');
    if (!seesAll && (await this.policies.get(principal.tenantId)).operatorsSeeOwnCallsOnly) {
      throw new ForbiddenException('operators see only their own calls (recording policy)');
    }
    return true;
  }
}

/**
 * The tenant's calls in progress, live, for the dashboard (Server-Sent Events): first a `snapshot`
 * of the calls now in progress, then one `call` event per ringing/answered/ended. The stream ends
 * when the session's access token would expire; EventSource reconnects by itself (after a refresh).
 */
@ApiTags('flexlog')
@Controller('v1/flexlog')
export class LiveCallsController implements BeforeApplicationShutdown {
  private readonly streams = new Set<Subscriber<MessageEvent>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: CallEventsService,
  ) {}

  @Sse('live-calls')
  @Roles('tenantAdmin', 'supervisor', 'auditor', 'operator')
  @UseGuards(LiveCallsAccess)
  liveCalls(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    const lifetimeMs = this.config.auth.accessTtlSeconds * 1000;
    return new Observable<MessageEvent>((subscriber) => {
      this.streams.add(subscriber);
      subscriber.next({ type: 'snapshot', data: { calls: this.events.activeCalls(principal.tenantId) } });
      const stop = this.events.subscribe(principal.tenantId, (event) => subscriber.next({ type: 'call', data: event }));
      const keepAlive = setInterval(() => subscriber.next({ type: 'ping', data: {} }), KEEP_ALIVE_MS);
      const end = setTimeout(() => subscriber.complete(), lifetimeMs);
      return () => {
        this.streams.delete(subscriber);
        stop();
        clearInterval(keepAlive);
        clearTimeout(end);
      };
    });
  }

  /** Open streams would hold the HTTP server open on shutdown: they end first (clients reconnect elsewhere). */
  beforeApplicationShutdown(): void {
    for (const stream of [...this.streams]) stream.complete();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { Observable, Subject } from 'rxjs';
import { metricsRegistry } from '../../../core/health/metrics';
import { ActiveCall, ActiveCalls } from './active-calls';
import type { CallEvent } from './call-event.dto';

export type CallEventHandler = (event: CallEvent) => void;

export interface FanOutLatency {
  deliveries: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

const fanOut = new Histogram({
  name: 'appliance_flexlog_call_event_fanout_seconds',
  help: 'From a call event reaching the backend to a subscriber having it (validation, de-duplication, fan-out)',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1],
  registers: [metricsRegistry],
});

/** The last latencies kept for latency(): enough for percentiles, bounded in memory. */
const KEPT = 2000;

/**
 * Call events inside this process: the capture's stream publishes here, and products subscribe per
 * tenant (応対力's screen pop, the live-calls stream). Handlers run synchronously in publish order;
 * one that throws is logged and does not stop the others. It also keeps the calls in progress.
 */
@Injectable()
export class CallEventsService {
  private readonly logger = new Logger(CallEventsService.name);
  private readonly handlers = new Map<string, Set<CallEventHandler>>();
  private readonly everyTenant = new Subject<CallEvent>();
  /**
   * Every tenant's events, in publish order, for a product that routes them itself (応対力's screen
   * pop serves all tenants from one socket server). Subscribers must not throw.
   */
  readonly all$: Observable<CallEvent> = this.everyTenant.asObservable();
  private readonly active = new ActiveCalls();
  private readonly latencies: number[] = [];
  private deliveries = 0;

  /** Receives the tenant's events from now on; call the answer to stop. */
  subscribe(tenantId: string, handler: CallEventHandler): () => void {
    let set = this.handlers.get(tenantId);
    if (!set) this.handlers.set(tenantId, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (!set.size && this.handlers.get(tenantId) === set) this.handlers.delete(tenantId);
    };
  }

  /** `receivedAt` is process.hrtime.bigint() when the event reached the backend. */
  publish(event: CallEvent, receivedAt = process.hrtime.bigint()): void {
    this.active.apply(event);
    try {
      this.everyTenant.next(event);
    } catch (error) {
      this.logger.warn(`call event stream subscriber failed: ${(error as Error).message}`);
    }
    for (const handler of [...(this.handlers.get(event.tenantId) ?? [])]) {
      try {
        handler(event);
      } catch (error) {
        this.logger.warn(`call event subscriber failed: ${(error as Error).message}`);
      }
      this.measure(Number(process.hrtime.bigint() - receivedAt) / 1e6);
    }
  }

  activeCalls(tenantId: string): ActiveCall[] {
    return this.active.list(tenantId);
  }

  /** Receipt-to-subscriber latency of the last `last` deliveries (each handler call counts once). */
  latency(last = KEPT): FanOutLatency {
    const sorted = this.latencies.slice(-last).sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
    return { deliveries: this.deliveries, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? null };
  }

  private measure(ms: number): void {
    this.deliveries += 1;
    fanOut.observe(ms / 1000);
    this.latencies.push(ms);
    if (this.latencies.length > KEPT) this.latencies.shift();
  }
}

import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Call } from '../call.entity';
import { Recording } from '../recording.entity';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { CallDeleter, DELETE_BATCH } from '../deletion/call-deleter';
import { CapacityAlerts, CapacityNumbers, fmt } from './capacity-alerts';
import { UsageCounter } from './usage-counter';

/** Oldest calls looked at per page when choosing what to rotate out. */
const ROTATE_PAGE = 200;

/**
 * 507 Insufficient Storage: the recording does not fit the tenant's capacity and the policy is
 * `reject` (or `rotate`, with calls on legal hold alone filling the room). The body carries the numbers.
 */
export class CapacityFullException extends HttpException {
  constructor(n: CapacityNumbers, blockedByHolds: boolean) {
    const why = blockedByHolds
      ? `calls on legal hold alone take ${fmt(n.heldBytes ?? 0)} bytes, and held calls are never rotated out`
      : 'the policy when full is "reject"';
    super(
      {
        statusCode: HttpStatus.INSUFFICIENT_STORAGE,
        error: 'Insufficient Storage',
        message:
          `recording capacity is full: ${fmt(n.usedBytes)} of ${fmt(n.capacityBytes)} bytes used and this ` +
          `recording needs ${fmt(n.neededBytes)} more; ${why}. Delete recordings or raise the plan's capacity.`,
        ...n,
      },
      HttpStatus.INSUFFICIENT_STORAGE,
    );
  }
}

export interface Enforcement {
  capacityBytes: number | null;
  usedBytes: number;
  rotated: { count: number; bytes: number };
  alerted: boolean;
}

/**
 * Keeps each tenant's recordings within its capacity (plaintext bytes, as the plan counts them).
 * Ingest asks `admit` before it commits a new recording and `charge`s the running total in its
 * transaction; the hourly sweep calls `enforce` to catch up after a plan shrank. Admission is
 * serialised per tenant in this process, so two uploads do not rotate out the same calls; uploads
 * committing at the same moment in other processes can overshoot by what they carry, which the next
 * sweep trims (rotate) or reports (reject).
 */
@Injectable()
export class CapacityService {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: RecordingPolicyService,
    private readonly deleter: CallDeleter,
    private readonly alerts: CapacityAlerts,
    private readonly usage: UsageCounter,
  ) {}

  /**
   * Makes room for a recording of `bytes` about to be committed: nothing to do without a capacity
   * or when it fits; `rotate` deletes the oldest calls not on hold until it fits; otherwise 507 and
   * the tenant's admins are alerted (once a day).
   */
  admit(tenantId: string, bytes: number): Promise<void> {
    return this.serialised(tenantId, async () => {
      const policy = await this.policies.get(tenantId);
      const capacity = policy.capacityBytes;
      if (capacity === null) return;
      for (let attempt = 0; attempt < 3; attempt++) {
        const used = await this.usage.used(tenantId);
        if (used + bytes <= capacity) return;
        const numbers = { usedBytes: used, capacityBytes: capacity, neededBytes: bytes };
        if (policy.whenFull !== 'rotate') return this.refuse(tenantId, numbers, false);
        // Chosen before anything is deleted: a recording that cannot fit must not cost the tenant its calls.
        const oldest = await this.oldestCovering(tenantId, used + bytes - capacity);
        if (oldest.covered < used + bytes - capacity) {
          return this.refuse(tenantId, { ...numbers, heldBytes: await this.heldBytes(tenantId) }, true);
        }
        for (let i = 0; i < oldest.ids.length; i += DELETE_BATCH) {
          const ids = oldest.ids.slice(i, i + DELETE_BATCH);
          await this.deleter.deleteCalls(tenantId, ids, 'capacity.rotate', { neededBytes: bytes });
        }
        // Normally fits now; a hold set meanwhile kept a call we counted on: choose again.
      }
      const used = await this.usage.used(tenantId);
      if (used + bytes > capacity) {
        const numbers = { usedBytes: used, capacityBytes: capacity, neededBytes: bytes };
        return this.refuse(tenantId, { ...numbers, heldBytes: await this.heldBytes(tenantId) }, true);
      }
    });
  }

  /** Adds a committed recording to the tenant's total, inside the ingest's transaction. */
  charge(m: EntityManager, tenantId: string, bytes: number): Promise<void> {
    return this.usage.add(m, tenantId, bytes);
  }

  /** The sweep's part: recount, then a tenant over its capacity is rotated back under it, or its admins alerted. */
  enforce(tenantId: string): Promise<Enforcement> {
    return this.serialised(tenantId, async () => {
      const policy = await this.policies.get(tenantId);
      const capacity = policy.capacityBytes;
      const usedBytes = await this.usage.recount(tenantId);
      const result: Enforcement = {
        capacityBytes: capacity,
        usedBytes,
        rotated: { count: 0, bytes: 0 },
        alerted: false,
      };
      if (capacity === null || usedBytes <= capacity) return result;
      if (policy.whenFull === 'rotate') {
        // Batch by batch, each chosen to cover what is still over: a plan shrunk by terabytes is never planned in memory.
        for (let over = usedBytes - capacity; over > 0; over = result.usedBytes - capacity) {
          const { ids } = await this.oldestCovering(tenantId, over, DELETE_BATCH);
          if (ids.length === 0) break;
          const batch = await this.deleter.deleteCalls(tenantId, ids, 'capacity.rotate', { excessBytes: over });
          result.rotated.count += batch.count;
          result.rotated.bytes += batch.bytes;
          result.usedBytes = await this.usage.used(tenantId);
          if (batch.count === 0 && batch.heldKept === 0) break;
        }
      }
      if (result.usedBytes > capacity) {
        const numbers = { usedBytes: result.usedBytes, capacityBytes: capacity, neededBytes: 0 };
        result.alerted = await this.alerts.capacityFull(tenantId, {
          ...numbers,
          heldBytes: await this.heldBytes(tenantId),
        });
      }
      return result;
    });
  }

  /** Bytes of calls on legal hold (only asked when they are what stands in the way). */
  async heldBytes(tenantId: string): Promise<number> {
    const row = await this.dataSource
      .getRepository(Recording)
      .createQueryBuilder('r')
      .innerJoin(Call, 'c', 'c.id = r.callId AND c.tenantId = r.tenantId')
      .select('COALESCE(SUM(r.bytes), 0)', 'bytes')
      .where('r.tenantId = :tenantId', { tenantId })
      .andWhere('c.legalHold = :held', { held: true })
      .getRawOne<{ bytes: string | number }>();
    return Number(row?.bytes ?? 0);
  }

  /**
   * The oldest calls (by start time) not on hold whose recordings add up to `excess` bytes, at most
   * `limit` of them; `covered` falls short of `excess` when there are no more. Usually one page.
   */
  private async oldestCovering(tenantId: string, excess: number, limit = Infinity) {
    const ids: string[] = [];
    let covered = 0;
    for (let page = 0; covered < excess && ids.length < limit; page++) {
      const rows: Array<{ id: string; bytes: string | number }> = await this.dataSource
        .getRepository(Call)
        .createQueryBuilder('c')
        .innerJoin(Recording, 'r', 'r.callId = c.id AND r.tenantId = c.tenantId')
        .select('c.id', 'id')
        .addSelect('r.bytes', 'bytes')
        .where('c.tenantId = :tenantId', { tenantId })
        .andWhere('c.legalHold = :held', { held: false })
        .orderBy('c.startedAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .addOrderBy('r.id', 'ASC')
        .offset(page * ROTATE_PAGE)
        .limit(ROTATE_PAGE)
        .getRawMany();
      if (rows.length === 0) break;
      for (const row of rows) {
        if (covered >= excess) break;
        if (ids[ids.length - 1] !== row.id) {
          if (ids.length >= limit) break;
          ids.push(row.id);
        }
        covered += Number(row.bytes);
      }
    }
    return { ids, covered };
  }

  private async refuse(tenantId: string, n: CapacityNumbers, blockedByHolds: boolean): Promise<never> {
    await this.alerts.capacityFull(tenantId, n);
    throw new CapacityFullException(n, blockedByHolds);
  }

  /** Runs one admission or enforcement per tenant at a time in this process. */
  private serialised<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(tenantId) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.tails.set(tenantId, next);
    void next
      .finally(() => {
        if (this.tails.get(tenantId) === next) this.tails.delete(tenantId);
      })
      .catch(() => undefined);
    return next;
  }
}

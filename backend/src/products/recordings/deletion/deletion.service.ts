import { BadRequestException, ConflictException, Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../../../core/audit/audit.service';
import { JobRun, JobsService, JobView } from '../../../core/jobs/jobs.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { KeyRing } from '../../../platform/crypto/key-ring';
import { fieldError } from '../../../platform/http/field-errors';
import { Recording } from '../recording.entity';
import { CallSearchService } from '../search/call-search.service';
import { CallDeleter } from './call-deleter';
import { DeletionClaims, DeletionTokenSigner, filterHash } from './confirm-token';
import { DeletionFilterDto } from './deletion.dto';

export const DELETION_JOB = 'recordings.deletion';
/** A preview stays confirmable this long: long enough to read it, short enough to still be true. */
export const CONFIRM_WINDOW_MS = 10 * 60 * 1000;

interface Amount {
  count: number;
  bytes: number;
}

export interface DeletionPreview extends Amount {
  heldExcluded: Amount;
  confirmToken: string;
  expiresAt: string;
}

export interface DeletionParams {
  filter: DeletionFilterDto;
  /** Calls stored after the preview are not deleted, even when they match. */
  storedUpTo: string;
  previewed: Amount;
}

export interface DeletionResult {
  deleted: Amount;
  /** Matching calls kept because they are on legal hold. */
  heldSkipped: Amount;
  previewed: Amount;
}

/**
 * The deletion tool (Art. 13.8): a tenant admin previews a filter (what would go, what legal hold
 * keeps), confirms with the preview's token, and a job deletes in batches with progress. The token
 * binds the tenant, the admin, the exact filter and the previewed numbers, for ten minutes.
 */
@Injectable()
export class DeletionService implements OnModuleInit {
  private readonly signer: DeletionTokenSigner;

  constructor(
    private readonly search: CallSearchService,
    private readonly deleter: CallDeleter,
    private readonly jobs: JobsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    keys: KeyRing,
  ) {
    this.signer = new DeletionTokenSigner(keys.sessionSecret);
  }

  onModuleInit(): void {
    this.jobs.register<DeletionParams, DeletionResult>(DELETION_JOB, (run) => this.run(run));
  }

  async preview(filter: DeletionFilterDto, now = Date.now()): Promise<DeletionPreview> {
    const { deletable, held } = await this.count(filter, new Date(now));
    const claims: DeletionClaims = {
      tenantId: this.context.tenantId(),
      userId: this.userId(),
      filterHash: filterHash(filter),
      ...deletable,
      issuedAt: now,
      expiresAt: now + CONFIRM_WINDOW_MS,
    };
    return {
      ...deletable,
      heldExcluded: held,
      confirmToken: this.signer.sign(claims),
      expiresAt: new Date(claims.expiresAt).toISOString(),
    };
  }

  /** Checks the token against the filter and today's numbers, then starts the job (202). */
  async confirm(filter: DeletionFilterDto, token: string): Promise<JobView> {
    const read = this.signer.read(token);
    if (!read.ok && read.reason === 'expired') {
      throw new ConflictException('confirmToken: the preview expired (10 minutes); preview again');
    }
    if (!read.ok || read.claims.tenantId !== this.context.tenantId() || read.claims.userId !== this.userId()) {
      throw fieldError('confirmToken', 'not a preview of yours: preview the filter, then confirm with its token');
    }
    const claims = read.claims;
    if (claims.filterHash !== filterHash(filter)) {
      throw new ConflictException('filter: differs from the previewed one; preview this filter, then confirm it');
    }
    const storedUpTo = new Date(claims.issuedAt);
    const { deletable } = await this.count(filter, storedUpTo);
    if (deletable.count !== claims.count || deletable.bytes !== claims.bytes) {
      throw new ConflictException(
        `the matching calls changed since the preview (${claims.count} calls, ${claims.bytes} bytes; now ` +
          `${deletable.count} calls, ${deletable.bytes} bytes): preview again`,
      );
    }
    const previewed = { count: claims.count, bytes: claims.bytes };
    const job = await this.jobs.start<DeletionParams>(DELETION_JOB, {
      filter,
      storedUpTo: storedUpTo.toISOString(),
      previewed,
    });
    await this.audit.record({
      action: 'recordings.deletion.started',
      target: job.id,
      details: { filter, previewed },
    });
    return job;
  }

  private async run(run: JobRun<DeletionParams>): Promise<DeletionResult> {
    const { filter, previewed } = run.params;
    const storedUpTo = new Date(run.params.storedUpTo);
    const matching = async () =>
      (await this.search.matching(filter)).andWhere('c.createdAt <= :storedUpTo', { storedUpTo });
    let deleted: Amount = { count: 0, bytes: 0 };
    try {
      const done = await this.deleter.deleteMatching(
        run.tenantId,
        matching,
        'deletion-tool',
        { jobId: run.id },
        (sofar) => {
          deleted = { count: sofar.count, bytes: sofar.bytes };
          const of = Math.max(previewed.count, sofar.count);
          return run.progress((sofar.count / Math.max(1, of)) * 100, `deleted ${sofar.count} of ${of} calls`);
        },
      );
      deleted = { count: done.count, bytes: done.bytes };
      const { held } = await this.count(filter, storedUpTo);
      const result = { deleted, heldSkipped: held, previewed };
      await this.audit.record({
        action: 'recordings.deletion.finished',
        target: run.id,
        details: { filter, ...result },
      });
      return result;
    } catch (error) {
      await this.audit.record({
        action: 'recordings.deletion.failed',
        target: run.id,
        details: { filter, deleted, previewed, error: (error as Error).message },
      });
      throw error;
    }
  }

  /** What the filter matches among calls stored up to `storedUpTo`: deletable ones and held ones. */
  private async count(filter: DeletionFilterDto, storedUpTo: Date): Promise<{ deletable: Amount; held: Amount }> {
    const rows = await (
      await this.search.matching(filter)
    )
      .andWhere('c.createdAt <= :storedUpTo', { storedUpTo })
      .leftJoin(Recording, 'r', 'r.callId = c.id AND r.tenantId = c.tenantId')
      .select('c.legalHold', 'held')
      .addSelect('COUNT(DISTINCT c.id)', 'count')
      .addSelect('COALESCE(SUM(r.bytes), 0)', 'bytes')
      .groupBy('c.legalHold')
      .orderBy()
      .getRawMany<{ held: unknown; count: string | number; bytes: string | number }>();
    const out = { deletable: { count: 0, bytes: 0 }, held: { count: 0, bytes: 0 } };
    for (const row of rows) {
      const isHeld = row.held === true || Number(row.held) === 1;
      out[isHeld ? 'held' : 'deletable'] = { count: Number(row.count), bytes: Number(row.bytes) };
    }
    return out;
  }

  private userId(): string {
    const principal = this.context.principal();
    if (principal?.kind !== 'user') throw new BadRequestException('the deletion tool is for signed-in administrators');
    return principal.id;
  }
}

import { BadRequestException, ConflictException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { Readable } from 'node:stream';
import { In } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { JobRun, JobsService, JobView } from '../../../core/jobs/jobs.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { fieldError, fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { CallTag } from '../call-tag.entity';
import { Call } from '../call.entity';
import { Recording } from '../recording.entity';
import { CallSearchDto } from '../search/call-search.dto';
import { CallSearchService } from '../search/call-search.service';
import { RecordingVault, SealedObject } from '../vault/recording-vault';
import { CallPlaces } from '../places/call-places';
import { callMetadata, callsCsv, readme } from './evidence-content';
import { EVIDENCE_MAX_CALLS, EvidenceExportDto, EvidenceQuery } from './evidence-export.dto';
import { audioPath, CSV_PATH, metadataPath, PUBLIC_KEY_PATH, README_PATH } from './evidence-format';
import { EvidenceKeyService } from './evidence-key';
import { EvidenceZipWriter } from './evidence-zip-writer';

export const EVIDENCE_JOB = 'evidence-export';
const SEARCH_PAGE = 200;
const LOOKUP_CHUNK = 500;

/** What the job row keeps: the outcome for people, and where the encrypted ZIP lies. */
export interface EvidenceExportResult {
  calls: number;
  /** Explicit ids that were gone (deleted, or no longer visible) by the time the job ran. */
  skipped: string[];
  files: number;
  bytes: number;
  sha256: string;
  fileName: string;
  stored: SealedObject;
}

/**
 * Evidence exports: the request is checked at once (visibility, size), the ZIP is made by a job
 * running as the requesting user (so search visibility applies unchanged), encrypted into storage
 * like a recording, and handed out decrypted on download. Every export and download is audited.
 */
@Injectable()
export class EvidenceExportService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly search: CallSearchService,
    private readonly vault: RecordingVault,
    private readonly keys: EvidenceKeyService,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    @InjectTenantRepository(Recording) private readonly recordings: TenantRepository<Recording>,
    @InjectTenantRepository(CallTag) private readonly tags: TenantRepository<CallTag>,
    private readonly places: CallPlaces,
  ) {}

  onModuleInit(): void {
    this.jobs.register<EvidenceQuery, EvidenceExportResult>(EVIDENCE_JOB, (run) => this.run(run));
  }

  /** 404 for an explicit id the user may not see; 400 for a selection over the limit; else the queued job. */
  async request(dto: EvidenceExportDto): Promise<JobView> {
    const query = selection(dto);
    if ('callIds' in query) {
      for (const id of query.callIds) {
        if (!(await this.search.findVisible(id))) throw new NotFoundException(`call not found: ${id}`);
      }
    } else {
      const field = 'filter' in query ? 'filter' : 'number';
      const { total } = await this.withFieldPrefix(field, () => this.search.search({ ...searchOf(query), limit: 1 }));
      if (!total.exact || total.value > EVIDENCE_MAX_CALLS) {
        const matches = total.exact ? `${total.value}` : `more than ${total.value}`;
        throw fieldError(field, `matches ${matches} calls; one export holds at most ${EVIDENCE_MAX_CALLS}: narrow it`);
      }
    }
    return this.jobs.start(EVIDENCE_JOB, query);
  }

  /** The finished ZIP, decrypted as it streams; audited. */
  async download(jobId: string): Promise<{ stream: Readable; result: EvidenceExportResult }> {
    const job = await this.jobs.get(jobId);
    if (job.kind !== EVIDENCE_JOB || !this.mayRead(job)) throw new NotFoundException('evidence export not found');
    if (job.status !== 'succeeded') {
      throw new ConflictException(
        job.status === 'failed' ? `the export failed: ${job.error}` : `the export is ${job.status} (${job.progress}%)`,
      );
    }
    const result = job.result as EvidenceExportResult;
    const stream = await this.vault.read(this.context.tenantId(), result.stored);
    await this.audit.record({
      action: 'evidence.downloaded',
      target: jobId,
      details: { calls: result.calls, bytes: result.bytes, zipSha256: result.sha256 },
    });
    return { stream, result };
  }

  private async run(run: JobRun<EvidenceQuery>): Promise<EvidenceExportResult> {
    try {
      const result = await this.build(run);
      await this.audit.record({
        action: 'evidence.exported',
        target: run.id,
        details: {
          query: run.params,
          calls: result.calls,
          skipped: result.skipped.length,
          bytes: result.bytes,
          zipSha256: result.sha256,
        },
      });
      return result;
    } catch (error) {
      await this.audit.record({
        action: 'evidence.export.failed',
        target: run.id,
        details: { query: run.params, error: (error as Error).message },
      });
      throw error;
    }
  }

  private async build(run: JobRun<EvidenceQuery>): Promise<EvidenceExportResult> {
    await run.progress(0, 'selecting calls');
    const { calls, skipped } = await this.select(run.params);
    await run.progress(1, `writing ${calls.length} calls`);
    const tenant = await this.tenants.get(run.tenantId);
    const signer = await this.keys.signer();
    const createdAt = new Date();
    const writer = new EvidenceZipWriter(signer, createdAt);
    const rows: Parameters<typeof callsCsv>[0] = [];
    let audioFiles = 0;
    let audioDone = 0;
    const progress = () => {
      audioDone += 1;
      const stage = `${audioDone} of ${audioFiles} recordings`;
      run.progress((audioDone / audioFiles) * 99, stage).catch(() => undefined);
    };
    for (let i = 0; i < calls.length; i += LOOKUP_CHUNK) {
      const chunk = calls.slice(i, i + LOOKUP_CHUNK);
      const [tags, recordings, placesOf] = await Promise.all([
        this.tagsOf(chunk),
        this.recordingsOf(chunk),
        this.places.namesFor(run.tenantId, chunk),
      ]);
      for (const call of chunk) {
        const files = (recordings.get(call.id) ?? []).map((recording, index) => ({
          file: audioPath(call.id, index),
          recording,
        }));
        for (const { file, recording } of files) {
          audioFiles += 1;
          writer.addStream(file, () => this.vault.read(run.tenantId, recording), {
            compress: false, // Opus is compressed already
            expectSha256: recording.sha256,
            onDone: progress,
          });
        }
        const callTags = tags.get(call.id) ?? [];
        const places = placesOf(call);
        const metadata = callMetadata(call, callTags, places, files);
        writer.addBuffer(metadataPath(call.id), Buffer.from(JSON.stringify(metadata, null, 2) + '\n', 'utf8'));
        rows.push({ call, tags: callTags, places });
      }
    }
    writer.addBuffer(CSV_PATH, callsCsv(rows, tenant.timeZone));
    writer.addBuffer(README_PATH, readme(run.id, signer.fingerprint));
    writer.addBuffer(PUBLIC_KEY_PATH, Buffer.from(signer.publicKeyPem, 'ascii'));
    const principal = this.context.principal();
    writer.finish({
      exportId: run.id,
      createdAt: createdAt.toISOString(),
      tenant: { id: tenant.id, name: tenant.name },
      exportedBy: { id: principal?.id ?? null, email: principal?.email ?? null },
      query: run.params,
      calls: calls.length,
    });
    const stored = await this.vault.write(run.tenantId, ['exports', `${run.id}.zip`], writer.output);
    return {
      calls: calls.length,
      skipped,
      files: writer.fileCount,
      bytes: stored.bytes,
      sha256: stored.sha256,
      fileName: `evidence-${createdAt.toISOString().slice(0, 10)}-${run.id.slice(0, 8)}.zip`,
      stored: {
        storageKey: stored.storageKey,
        keyId: stored.keyId,
        cipherHeader: stored.cipherHeader,
        storedBytes: stored.storedBytes,
      },
    };
  }

  /** The calls of the selection as the running user sees them now, oldest first. */
  private async select(query: EvidenceQuery): Promise<{ calls: Call[]; skipped: string[] }> {
    if ('callIds' in query) {
      const calls: Call[] = [];
      const skipped: string[] = [];
      for (const id of query.callIds) {
        const call = await this.search.findVisible(id);
        if (call) calls.push(call);
        else skipped.push(id);
      }
      calls.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
      return { calls, skipped };
    }
    const calls: Call[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.search.search({ ...searchOf(query), sort: 'asc', limit: SEARCH_PAGE, cursor });
      calls.push(...page.items);
      // New calls may have arrived since the request was checked: refuse rather than cut silently.
      if (calls.length > EVIDENCE_MAX_CALLS)
        throw new Error(`the selection now matches more than ${EVIDENCE_MAX_CALLS} calls: narrow it and export again`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { calls, skipped: [] };
  }

  private async tagsOf(calls: Call[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    const rows = await this.tags.find({ where: { callId: In(calls.map((c) => c.id)) }, order: { tag: 'ASC' } });
    for (const t of rows) map.set(t.callId, [...(map.get(t.callId) ?? []), t.tag]);
    return map;
  }

  private async recordingsOf(calls: Call[]): Promise<Map<string, Recording[]>> {
    const map = new Map<string, Recording[]>();
    const rows = await this.recordings.find({
      where: { callId: In(calls.map((c) => c.id)) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) map.set(r.callId, [...(map.get(r.callId) ?? []), r]);
    return map;
  }

  /** Tenant admins and auditors may fetch any export of the tenant; others only their own. */
  private mayRead(job: JobView): boolean {
    const principal = this.context.principal();
    if (!principal) return false;
    return principal.roles.some((r) => r === 'tenantAdmin' || r === 'auditor') || job.createdBy === principal.id;
  }

  /** Search reports `from`; inside an export request the field is `filter.from`. */
  private async withFieldPrefix<T>(field: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const errors =
        error instanceof BadRequestException && (error.getResponse() as { errors?: FieldProblem[] }).errors;
      if (!errors || field !== 'filter') throw error;
      throw fieldErrors(errors.map((p) => ({ field: `filter.${p.field}`, message: p.message })));
    }
  }
}

/** Exactly one of callIds, filter, number. */
function selection(dto: EvidenceExportDto): EvidenceQuery {
  const given = (['callIds', 'filter', 'number'] as const).filter((f) => dto[f] !== undefined);
  if (given.length === 0) throw fieldError('callIds', 'give one of callIds, filter or number');
  if (given.length > 1)
    throw fieldErrors(
      given.slice(1).map((field) => ({ field, message: 'give only one of callIds, filter or number' })),
    );
  if (dto.callIds) return { callIds: dto.callIds };
  if (dto.filter) return { filter: { ...dto.filter } };
  return { number: dto.number as string };
}

/** Every call with the number as caller or callee: an exact match on its digits, any format typed. */
const searchOf = (query: Exclude<EvidenceQuery, { callIds: string[] }>): CallSearchDto =>
  'number' in query ? { number: query.number, numberMatch: 'exact' } : { ...query.filter };

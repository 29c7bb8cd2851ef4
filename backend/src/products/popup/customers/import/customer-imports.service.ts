import { BadRequestException, ConflictException, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../../../../core/audit/audit.service';
import { JobRun, JobsService, JobView } from '../../../../core/jobs/jobs.service';
import { RequestContext } from '../../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../../core/tenancy/tenant-repository';
import { fieldError, fieldErrors } from '../../../../platform/http/field-errors';
import { Customer, CustomerNumber } from '../customer.entities';
import { checkCustomer } from '../customer-input';
import { storedValues } from '../customer-view';
import { CustomerWrite, writeCustomers } from '../customer-writer';
import { DirectorySettingsService } from '../directory-settings.service';
import { CustomerImport } from './customer-import.entities';
import { CSV_ENCODINGS, CsvEncoding, decodeCsv, detectEncoding } from './csv-text';
import { ImportFiles, parseCsvFile } from './import-files';
import { ImportMapping, resolveMapping, suggestMapping } from './import-mapping';
import { ImportMappingsService } from './import-mappings.service';
import { ExistingCustomers, ImportPlan, planImport, RowProblem } from './import-plan';
import type { ImportRequestDto } from './import-request.dto';

export const CUSTOMER_IMPORT_JOB = 'popup.customer-import';
/** Files with more data rows than this import as a job the client follows (GET /api/v1/jobs/:id). */
export const SYNC_IMPORT_MAX_ROWS = 5_000;
export const IMPORT_MAX_ROWS = 200_000;
/** Errors a preview or a refusal lists; the count says how many there are in all. */
const LISTED = 500;

export interface ImportResult {
  created: number;
  updated: number;
}

/** 400 for a file whose rows have errors: nothing was imported; each error has line, column and reason. */
function rowErrors(errors: RowProblem[]): BadRequestException {
  const first = errors[0];
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${errors.length} row error(s), nothing imported; first: line ${first.line}, column ${first.column}: ${first.reason}`,
    errorCount: errors.length,
    errors: errors.slice(0, LISTED).map((e) => ({ ...e, field: e.column, message: `line ${e.line}: ${e.reason}` })),
  });
}

/**
 * CSV import of customers: upload (encoding detected), preview (per-row errors, duplicates, what
 * would be created or updated), confirm (all or nothing in one transaction; large files as a job).
 */
@Injectable()
export class CustomerImportsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(CustomerImport) private readonly imports: TenantRepository<CustomerImport>,
    @InjectTenantRepository(Customer) private readonly customers: TenantRepository<Customer>,
    @InjectTenantRepository(CustomerNumber) private readonly numbers: TenantRepository<CustomerNumber>,
    private readonly files: ImportFiles,
    private readonly settings: DirectorySettingsService,
    private readonly mappings: ImportMappingsService,
    private readonly jobs: JobsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ importId: string; mapping: ImportMapping }, ImportResult>(CUSTOMER_IMPORT_JOB, (run) =>
      this.runJob(run),
    );
  }

  async upload(bytes: Buffer, fileName: string, encoding: string | undefined) {
    if (encoding && encoding !== 'auto' && !(CSV_ENCODINGS as readonly string[]).includes(encoding))
      throw fieldError('encoding', `one of auto, ${CSV_ENCODINGS.join(', ')}`);
    if (!bytes.length) throw fieldError('file', 'the file is empty');
    const used = !encoding || encoding === 'auto' ? detectEncoding(bytes) : (encoding as CsvEncoding);
    const text = decodeCsv(bytes, used);
    const { headers, records } = parseCsvFile(text);
    const rowCount = records.filter((r) => r.cells.some((c) => c.trim() !== '')).length;
    if (rowCount > IMPORT_MAX_ROWS)
      throw fieldError('file', `at most ${IMPORT_MAX_ROWS} rows (this file has ${rowCount})`);
    const principal = this.context.principal();
    const upload = this.imports.create({
      id: randomUUID(),
      fileName: fileName.replace(/^.*[\\/]/, '').slice(0, 200) || 'customers.csv',
      encoding: used,
      headers: JSON.stringify(headers),
      rowCount,
      status: 'uploaded',
      result: null,
      jobId: null,
      createdBy: principal?.kind === 'user' ? principal.id : null,
      createdAt: new Date(),
    });
    await this.files.store(upload, text);
    await this.audit.record({
      action: 'popup.customers.import.uploaded',
      target: upload.id,
      details: { fileName: upload.fileName, encoding: used, rows: rowCount },
    });
    return this.describe(
      upload,
      records.slice(0, 5).map((r) => r.cells),
    );
  }

  async get(id: string) {
    const upload = await this.imports.get({ id });
    const sample = upload.status === 'imported' ? [] : (await this.files.parsed(id)).records.slice(0, 5);
    return this.describe(
      upload,
      sample.map((r) => r.cells),
    );
  }

  /** What confirming would do: row errors, duplicates, how many created and updated. Writes nothing. */
  async preview(id: string, dto: ImportRequestDto) {
    const upload = await this.imports.get({ id });
    if (upload.status === 'imported') throw new ConflictException('this file has been imported; upload it again');
    const plan = await this.plan(id, dto);
    if (dto.saveAs) await this.mappings.save(dto.saveAs, dto);
    const updated = plan.rows.filter((r) => r.customerId).length;
    return {
      rowCount: plan.rows.length,
      create: plan.rows.length - updated,
      update: updated,
      errorCount: plan.errors.length,
      errors: plan.errors.slice(0, LISTED),
      duplicateCount: plan.duplicates.length,
      duplicates: plan.duplicates.slice(0, LISTED),
    };
  }

  /**
   * Imports the file: every row or none. Up to SYNC_IMPORT_MAX_ROWS rows answer with the result;
   * bigger files answer with the queued job (its result is the same, its progress is the rows written).
   */
  async confirm(id: string, dto: ImportRequestDto): Promise<{ result: ImportResult } | { job: JobView }> {
    const upload = await this.imports.get({ id });
    if (upload.status !== 'uploaded') throw new ConflictException(`this import is ${upload.status}`);
    if (dto.saveAs) await this.mappings.save(dto.saveAs, dto);
    const mapping: ImportMapping = { columns: dto.columns, key: dto.key };
    if (upload.rowCount > SYNC_IMPORT_MAX_ROWS) {
      // Mapping mistakes are answered now rather than from a failed job.
      const { problems } = resolveMapping(JSON.parse(upload.headers) as string[], mapping, await this.settings.rules());
      if (problems.length) throw fieldErrors(problems);
      const job = await this.jobs.start(CUSTOMER_IMPORT_JOB, { importId: id, mapping });
      await this.imports.save(Object.assign(upload, { status: 'importing', jobId: job.id }));
      return { job };
    }
    await this.imports.save(Object.assign(upload, { status: 'importing' }));
    return { result: await this.execute(upload, mapping) };
  }

  private async runJob(run: JobRun<{ importId: string; mapping: ImportMapping }>): Promise<ImportResult> {
    const upload = await this.imports.get({ id: run.params.importId });
    return this.execute(upload, run.params.mapping, (done, total) =>
      run.progress((done / total) * 100, `${done} / ${total} rows written`),
    );
  }

  private async execute(
    upload: CustomerImport,
    mapping: ImportMapping,
    progress?: (done: number, total: number) => Promise<void>,
  ): Promise<ImportResult> {
    try {
      const plan = await this.plan(upload.id, mapping);
      if (plan.errors.length) throw rowErrors(plan.errors);
      const writes = await this.writesOf(plan);
      const tenantId = this.context.tenantId();
      await this.dataSource.transaction((m) =>
        writeCustomers(m, tenantId, writes, async (done) => progress?.(done, writes.length)),
      );
      const result = { created: writes.filter((w) => w.isNew).length, updated: writes.filter((w) => !w.isNew).length };
      await this.imports.save(Object.assign(upload, { status: 'imported', result: JSON.stringify(result) }));
      await this.files.discard(upload.id);
      await this.audit.record({
        action: 'popup.customers.imported',
        target: upload.id,
        details: { fileName: upload.fileName, key: mapping.key, ...result },
      });
      return result;
    } catch (error) {
      // Nothing was written (one transaction): the file stays, to be confirmed again with a fixed mapping.
      const body = error instanceof BadRequestException ? error.getResponse() : { message: (error as Error).message };
      await this.imports.save(Object.assign(upload, { status: 'uploaded', result: JSON.stringify({ error: body }) }));
      throw error;
    }
  }

  private async plan(id: string, mapping: ImportMapping): Promise<ImportPlan> {
    const { headers, records } = await this.files.parsed(id);
    const rules = await this.settings.rules();
    const { targets, problems } = resolveMapping(headers, mapping, rules);
    if (problems.length) throw fieldErrors(problems);
    return planImport(headers, records, targets, mapping.key, rules, this.existing());
  }

  /** New rows as they are; updates start from the stored customer, so unmapped columns keep their values. */
  private async writesOf(plan: ImportPlan): Promise<CustomerWrite[]> {
    const rules = await this.settings.rules();
    const ids = plan.rows.map((r) => r.customerId).filter((v): v is string => !!v);
    const stored = new Map<string, Customer>();
    const storedNumbers: CustomerNumber[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      for (const c of await this.customers.find({ where: { id: In(batch) } })) stored.set(c.id, c);
      storedNumbers.push(...(await this.numbers.find({ where: { customerId: In(batch) } })));
    }
    const numbersOf = new Map<string, CustomerNumber[]>();
    for (const n of storedNumbers) numbersOf.set(n.customerId, [...(numbersOf.get(n.customerId) ?? []), n]);
    return plan.rows.map((row) => {
      const existing = row.customerId ? stored.get(row.customerId) : undefined;
      if (!existing) return { id: randomUUID(), isNew: true, values: row.values };
      const merged = checkCustomer(row.input, rules, storedValues(existing, numbersOf.get(existing.id) ?? []));
      return { id: existing.id, isNew: false, values: merged.values, createdAt: existing.createdAt };
    });
  }

  private existing(): ExistingCustomers {
    return {
      byExternalIds: async (ids) => {
        const rows = await this.customers.find({
          where: { externalId: In(ids) },
          select: { id: true, externalId: true },
        });
        return new Map(rows.map((c) => [c.externalId ?? '', c.id]));
      },
      byNumbers: async (e164s) => {
        const found = new Map<string, string[]>();
        if (!e164s.length) return found;
        const rows = await this.numbers.find({
          where: { e164: In([...new Set(e164s)]) },
          select: { e164: true, customerId: true },
        });
        for (const n of rows) found.set(n.e164, [...(found.get(n.e164) ?? []), n.customerId]);
        return found;
      },
    };
  }

  private async describe(upload: CustomerImport, sample: string[][]) {
    const headers = JSON.parse(upload.headers) as string[];
    return {
      id: upload.id,
      fileName: upload.fileName,
      encoding: upload.encoding,
      headers,
      rowCount: upload.rowCount,
      status: upload.status,
      result: upload.result ? (JSON.parse(upload.result) as unknown) : null,
      jobId: upload.jobId,
      sample,
      suggestedMapping: suggestMapping(headers, await this.settings.rules()),
      largeFile: upload.rowCount > SYNC_IMPORT_MAX_ROWS,
      createdAt: upload.createdAt,
    };
  }
}

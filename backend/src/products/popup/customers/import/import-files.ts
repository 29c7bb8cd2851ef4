import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '../../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../../core/tenancy/tenant-repository';
import { CustomerImport, CustomerImportChunk } from './customer-import.entities';
import { CsvRecord, csvRecords, CsvSyntaxError } from './csv-text';

/** UTF-16 units per stored chunk: at most 48 KB of UTF-8, inside a TEXT column on MySQL. */
const CHUNK = 16_000;
const INSERT_BATCH = 50;

export interface ParsedFile {
  headers: string[];
  records: CsvRecord[];
}

/** A CSV problem of the file as a whole (unclosed quote, no header) as a 400 naming the line. */
export function fileError(line: number, reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `file: line ${line}: ${reason}`,
    errors: [{ field: 'file', line, column: null, reason, message: `line ${line}: ${reason}` }],
  });
}

/** Parses the whole text: the first record is the header row (cells trimmed). */
export function parseCsvFile(text: string): ParsedFile {
  try {
    const records = [...csvRecords(text)];
    const header = records.shift();
    if (!header) throw fileError(1, 'the file is empty');
    const headers = header.cells.map((h) => h.trim());
    const blank = headers.findIndex((h) => h === '');
    const used = headers.filter((h) => h !== '');
    if (!used.length) throw fileError(header.line, 'the header row is empty');
    // A blank header cell gets a name, so its column can still be mapped or reported.
    if (blank >= 0) headers.forEach((h, i) => (headers[i] = h || `(column ${i + 1})`));
    return { headers, records };
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw fileError(error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
}

/**
 * The uploaded file's decoded text, kept in the database between upload and confirmation so any
 * process (a queued job in a worker) can read it; cut on code points, never inside a surrogate pair.
 */
@Injectable()
export class ImportFiles {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(CustomerImportChunk) private readonly chunks: TenantRepository<CustomerImportChunk>,
    private readonly context: RequestContext,
  ) {}

  async store(upload: CustomerImport, text: string): Promise<void> {
    const tenantId = this.context.tenantId();
    const rows: Array<Partial<CustomerImportChunk>> = [];
    for (let at = 0, seq = 0; at < text.length; seq++) {
      let end = Math.min(at + CHUNK, text.length);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      rows.push({ importId: upload.id, seq, tenantId, content: text.slice(at, end) });
      at = end;
    }
    await this.dataSource.transaction(async (m) => {
      await m.insert(CustomerImport, upload);
      for (let i = 0; i < rows.length; i += INSERT_BATCH)
        await m.insert(CustomerImportChunk, rows.slice(i, i + INSERT_BATCH));
    });
  }

  async text(importId: string): Promise<string> {
    const rows = await this.chunks.find({ where: { importId }, order: { seq: 'ASC' } });
    return rows.map((r) => r.content).join('');
  }

  async parsed(importId: string): Promise<ParsedFile> {
    return parseCsvFile(await this.text(importId));
  }

  /** Drops the file's text once it has been imported: the customers are what stays. */
  async discard(importId: string): Promise<void> {
    await this.chunks.deleteWhere({ importId });
  }
}

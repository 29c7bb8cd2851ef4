import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../core/audit/audit.service';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { normaliseText } from './japanese-normaliser';
import { DICTIONARY_KINDS, DictionaryKind } from './keyword-matcher';
import { VnoteDictionary } from './vnote-search.entities';

const MAX_ENTRIES = 2000;
const MAX_ENTRY_LENGTH = 100;

export class CreateDictionaryDto {
  @ApiProperty({ enum: DICTIONARY_KINDS }) @IsIn(DICTIONARY_KINDS) kind!: DictionaryKind;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @IsString({ each: true })
  @MaxLength(MAX_ENTRY_LENGTH, { each: true })
  entries!: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateDictionaryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @IsString({ each: true })
  @MaxLength(MAX_ENTRY_LENGTH, { each: true })
  entries?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

export interface DictionaryView {
  id: string;
  kind: DictionaryKind;
  name: string;
  entries: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A tenant's keyword dictionaries (NG words, required phrases, competitor names, hotwords). */
@Injectable()
export class KeywordDictionaries {
  constructor(
    @InjectTenantRepository(VnoteDictionary) private readonly dictionaries: TenantRepository<VnoteDictionary>,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<DictionaryView[]> {
    const rows = await this.dictionaries.find({ order: { kind: 'ASC', name: 'ASC' } });
    return rows.map(view);
  }

  async get(id: string): Promise<DictionaryView> {
    return view(await this.dictionaries.get({ id }));
  }

  async create(dto: CreateDictionaryDto): Promise<DictionaryView> {
    const entries = cleanEntries(dto.entries);
    const now = new Date();
    const row = this.dictionaries.create({
      id: randomUUID(),
      kind: dto.kind,
      name: dto.name.trim(),
      entries: JSON.stringify(entries),
      enabled: dto.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    });
    await this.dictionaries.save(row);
    await this.audit.record({
      action: 'vnote.dictionary.created',
      target: row.id,
      details: { kind: row.kind, name: row.name, entries: entries.length },
    });
    return view(row);
  }

  async update(id: string, dto: UpdateDictionaryDto): Promise<DictionaryView> {
    const row = await this.dictionaries.get({ id });
    const entries = dto.entries === undefined ? undefined : cleanEntries(dto.entries);
    if (dto.name !== undefined) row.name = dto.name.trim();
    if (entries) row.entries = JSON.stringify(entries);
    if (dto.enabled !== undefined) row.enabled = dto.enabled;
    row.updatedAt = new Date();
    await this.dictionaries.save(row);
    await this.audit.record({
      action: 'vnote.dictionary.updated',
      target: id,
      details: { name: dto.name, entries: entries?.length, enabled: dto.enabled },
    });
    return view(row);
  }

  async remove(id: string): Promise<void> {
    const row = await this.dictionaries.get({ id });
    await this.dictionaries.remove(row);
    await this.audit.record({ action: 'vnote.dictionary.deleted', target: id, details: { name: row.name } });
  }
}

/**
 * Entries trimmed and kept as written (people read them in alerts), duplicates by normalised form dropped;
 * an entry with nothing to match (blank, only punctuation) is an error naming its position.
 */
function cleanEntries(entries: string[]): string[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const out: string[] = [];
  entries.forEach((raw, i) => {
    const entry = raw.trim();
    const norm = normaliseText(entry);
    if (!norm) problems.push({ field: `entries[${i}]`, message: 'has nothing to match (blank or only punctuation)' });
    else if (!seen.has(norm)) {
      seen.add(norm);
      out.push(entry);
    }
  });
  if (problems.length) throw fieldErrors(problems);
  return out;
}

const view = (d: VnoteDictionary): DictionaryView => ({
  id: d.id,
  kind: d.kind,
  name: d.name,
  entries: JSON.parse(d.entries),
  enabled: d.enabled,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Not } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { Customer, CustomerFieldDefinition, CustomerRank, FIELD_TYPES, FieldType } from './customer.entities';
import type { DirectoryRules } from './customer-input';
import { DEFAULT_RANKS, RankView } from './rank-defaults';

export class RankDto {
  @ApiProperty({ example: 'VIP' })
  @IsString()
  @Matches(/^\S{1,16}$/, { message: '1-16 characters, no spaces' })
  code!: string;
  @ApiProperty({ example: '最重要' }) @IsString() @MinLength(1) @MaxLength(50) label!: string;
  @ApiProperty({ example: '#C62828' })
  @IsString()
  @Matches(/^#[0-9A-Fa-f]{6}$/, { message: 'a colour like #C62828' })
  colour!: string;
}

export class RanksDto {
  @ApiProperty({ type: [RankDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RankDto)
  ranks!: RankDto[];
}

export class FieldDefinitionDto {
  @ApiProperty({ example: 'memberNo' })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { message: 'a letter, then letters, digits or _ (at most 40)' })
  key!: string;
  @ApiProperty({ example: '会員番号' }) @IsString() @MinLength(1) @MaxLength(100) label!: string;
  @ApiProperty({ enum: FIELD_TYPES }) @IsIn(FIELD_TYPES) type!: FieldType;
}

export class FieldDefinitionsDto {
  @ApiProperty({ type: [FieldDefinitionDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FieldDefinitionDto)
  fields!: FieldDefinitionDto[];
}

function duplicatesOf(values: string[], field: string): FieldProblem[] {
  const seen = new Set<string>();
  return values.flatMap((v, i) => {
    const lower = v.toLowerCase();
    if (seen.has(lower)) return [{ field: `${field}[${i}]`, message: `"${v}" appears twice` }];
    seen.add(lower);
    return [];
  });
}

/** The tenant's customer ranks (VIP/A/B/C until it sets its own) and custom field definitions. */
@Injectable()
export class DirectorySettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(CustomerRank) private readonly rankRows: TenantRepository<CustomerRank>,
    @InjectTenantRepository(CustomerFieldDefinition)
    private readonly fieldRows: TenantRepository<CustomerFieldDefinition>,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  async ranks(): Promise<RankView[]> {
    const rows = await this.rankRows.find({ order: { position: 'ASC' } });
    return rows.length ? rows.map((r) => ({ code: r.code, label: r.label, colour: r.colour })) : [...DEFAULT_RANKS];
  }

  async fields(): Promise<Array<{ key: string; label: string; type: FieldType }>> {
    const rows = await this.fieldRows.find({ order: { position: 'ASC' } });
    return rows.map((f) => ({ key: f.key, label: f.label, type: f.type }));
  }

  async rules(): Promise<DirectoryRules> {
    const [ranks, fields] = await Promise.all([this.ranks(), this.fields()]);
    return { ranks, fields };
  }

  /** Replaces the rank list; customers of a rank that is gone lose their rank (never a dangling code). */
  async replaceRanks(dto: RanksDto): Promise<RankView[]> {
    const problems = duplicatesOf(
      dto.ranks.map((r) => r.code),
      'ranks',
    ).map((p) => ({ ...p, field: `${p.field}.code` }));
    if (!dto.ranks.length) problems.push({ field: 'ranks', message: 'needs at least one rank' });
    if (problems.length) throw fieldErrors(problems);
    const tenantId = this.context.tenantId();
    const codes = dto.ranks.map((r) => r.code);
    await this.dataSource.transaction(async (m) => {
      await m.delete(CustomerRank, { tenantId });
      await m.insert(
        CustomerRank,
        dto.ranks.map((r, position) => ({
          id: randomUUID(),
          tenantId,
          code: r.code,
          label: r.label,
          colour: r.colour,
          position,
        })),
      );
      await m.update(Customer, { tenantId, rankCode: Not(In(codes)) }, { rankCode: null });
    });
    await this.audit.record({ action: 'popup.customer-ranks.replaced', details: { codes } });
    return this.ranks();
  }

  /** Replaces the field definitions; values of a removed field stay stored but are no longer shown. */
  async replaceFields(dto: FieldDefinitionsDto) {
    const problems = duplicatesOf(
      dto.fields.map((f) => f.key),
      'fields',
    ).map((p) => ({ ...p, field: `${p.field}.key` }));
    if (problems.length) throw fieldErrors(problems);
    const tenantId = this.context.tenantId();
    await this.dataSource.transaction(async (m) => {
      await m.delete(CustomerFieldDefinition, { tenantId });
      if (dto.fields.length)
        await m.insert(
          CustomerFieldDefinition,
          dto.fields.map((f, position) => ({
            id: randomUUID(),
            tenantId,
            key: f.key,
            label: f.label,
            type: f.type,
            position,
          })),
        );
    });
    await this.audit.record({
      action: 'popup.customer-fields.replaced',
      details: { keys: dto.fields.map((f) => f.key) },
    });
    return this.fields();
  }
}

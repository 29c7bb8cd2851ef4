import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';
import type { DictionaryKind } from './keyword-matcher';

/**
 * One searchable text of a call: a transcript segment or the call's notes, kept with its normalised form
 * and n-gram tokens (`grams`, full-text indexed by the migration in the database's own way).
 */
@Entity('vnote_search_docs')
@Index('ix_vnote_search_docs_call', ['tenantId', 'callId'])
@Index('ix_vnote_search_docs_kind', ['tenantId', 'kind', 'callId'])
export class VnoteSearchDoc extends TenantOwned {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 8 }) kind!: 'segment' | 'note';
  @Column({ type: 'varchar', length: 36, nullable: true }) segmentId!: string | null;
  @Column({ type: 'int', nullable: true }) startMs!: number | null;
  @Column({ type: 'int', nullable: true }) endMs!: number | null;
  @Column({ type: 'int', nullable: true }) channel!: number | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) speaker!: string | null;
  @Column({ type: 'text' }) text!: string;
  @Column({ type: 'text' }) norm!: string;
  @Column({ type: 'text' }) grams!: string;
}

/** How many of the tenant's texts hold a token (statistics for plan choice; never for answers). */
@Entity('vnote_search_grams')
export class VnoteSearchGram {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) token!: string;
  @Column({ type: 'int', default: 0 }) docs!: number;
}

@Entity('vnote_dictionaries')
@Index('ix_vnote_dictionaries_tenant', ['tenantId', 'kind'])
export class VnoteDictionary extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 12 }) kind!: DictionaryKind;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** JSON array of the entries as written. */
  @Column({ type: 'text' }) entries!: string;
  @Column({ type: 'boolean', default: false }) enabled!: boolean;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}

/** A call's keyword flags and conversation metrics, the filterable numbers as columns, the rest as JSON. */
@Entity('vnote_call_analyses')
@Unique('uq_vnote_call_analyses_call', ['tenantId', 'callId'])
export class VnoteCallAnalysis extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 36 }) transcriptId!: string;
  @Column({ type: 'int', default: 0 }) ngCount!: number;
  @Column({ type: 'int', default: 0 }) competitorCount!: number;
  @Column({ type: 'int', default: 0 }) missingRequiredCount!: number;
  @Column({ type: 'text' }) missingRequired!: string;
  @Column({ type: 'int', default: 0 }) silenceCount!: number;
  @Column({ type: 'int', default: 0 }) overlapCount!: number;
  @Column({ type: 'int', default: 0 }) operatorTalkPercent!: number;
  @Column({ type: 'int', default: 0 }) speechRate!: number;
  @Column({ type: 'int', default: 0 }) longestMonologueMs!: number;
  @Column({ type: 'text' }) metrics!: string;
  @TimestampColumn() computedAt!: Date;
}

@Entity('vnote_keyword_hits')
@Index('ix_vnote_keyword_hits_call', ['tenantId', 'callId', 'startMs'])
export class VnoteKeywordHit extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 36 }) dictionaryId!: string;
  @Column({ type: 'varchar', length: 12 }) kind!: 'ng' | 'required' | 'competitor';
  @Column({ type: 'varchar', length: 100 }) entry!: string;
  @Column({ type: 'varchar', length: 36 }) segmentId!: string;
  @Column({ type: 'int' }) startMs!: number;
  @Column({ type: 'int' }) channel!: number;
  @Column({ type: 'varchar', length: 12 }) speaker!: string;
  @Column({ type: 'text' }) text!: string;
  /** JSON [{start,end}] in text. */
  @Column({ type: 'text' }) highlights!: string;
}

export const VNOTE_SEARCH_ENTITIES = [
  VnoteSearchDoc,
  VnoteSearchGram,
  VnoteDictionary,
  VnoteCallAnalysis,
  VnoteKeywordHit,
];

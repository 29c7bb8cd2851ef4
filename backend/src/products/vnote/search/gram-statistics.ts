import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { VnoteSearchGram } from './vnote-search.entities';

const UPSERT_BATCH = 500;

/**
 * Per-tenant document frequency of every index token. Only the search plan depends on it (which tokens to
 * ask the full-text index for, or whether to walk calls newest first instead), never an answer, so counts
 * that drift under concurrent re-indexing cost speed at worst.
 */
@Injectable()
export class GramStatistics {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds (+1) or removes (-1) the tokens of these texts (each text's `grams`, space separated). */
  async apply(m: EntityManager, tenantId: string, gramLists: string[], sign: 1 | -1): Promise<void> {
    const counts = new Map<string, number>();
    for (const grams of gramLists) for (const t of grams.split(' ')) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
    const rows = [...counts].map(([token, n]) => [tenantId, token, sign * n] as const);
    const mysql = this.dataSource.options.type === 'mysql';
    for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
      const batch = rows.slice(i, i + UPSERT_BATCH);
      const values = batch.map(() => '(?, ?, ?)').join(', ');
      const upsert = mysql
        ? 'ON DUPLICATE KEY UPDATE docs = GREATEST(docs + VALUES(docs), 0)'
        : 'ON CONFLICT (tenantId, token) DO UPDATE SET docs = MAX(docs + excluded.docs, 0)';
      await m.query(`INSERT INTO vnote_search_grams (tenantId, token, docs) VALUES ${values} ${upsert}`, batch.flat());
    }
  }

  /** Texts holding each token (0 when never seen). */
  async frequencies(tenantId: string, tokens: string[]): Promise<Map<string, number>> {
    const rows = tokens.length
      ? await this.dataSource.getRepository(VnoteSearchGram).find({ where: { tenantId, token: In(tokens) } })
      : [];
    const map = new Map(tokens.map((t) => [t, 0]));
    for (const r of rows) map.set(r.token, Math.max(0, r.docs));
    return map;
  }
}

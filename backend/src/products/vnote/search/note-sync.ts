import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GramStatistics } from './gram-statistics';
import { indexTokens } from './gram-tokens';
import { normaliseText } from './japanese-normaliser';
import { VnoteSearchDoc } from './vnote-search.entities';

/**
 * Call notes change through the recordings API, which tells nobody. Before a search, the notes of the
 * tenant's transcribed calls whose indexed copy differs from the call's notes are indexed again, so a memo
 * written a moment ago is found. The comparison is made here, byte-wise (MySQL's default collation would
 * call ハハ and パパ equal). It compares every transcribed call's notes, so it runs at most once per MIN_INTERVAL_MS per
 * tenant and process: an edited memo is found at the latest that much later.
 */
export const NOTE_SYNC_INTERVAL_MS = 10_000;

@Injectable()
export class NoteSync {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statistics: GramStatistics,
  ) {}

  /** Tests set 0 to sync before every search. */
  minIntervalMs = NOTE_SYNC_INTERVAL_MS;
  private readonly lastRun = new Map<string, number>();

  /** Syncs unless this tenant was synced within minIntervalMs. */
  async syncIfDue(tenantId: string): Promise<number> {
    const now = Date.now();
    if (now - (this.lastRun.get(tenantId) ?? 0) < this.minIntervalMs) return 0;
    this.lastRun.set(tenantId, now);
    return this.sync(tenantId);
  }

  async sync(tenantId: string): Promise<number> {
    // Two narrow reads compared here: a join of every call's texts to find the note ones would read all
    // segments (the optimiser prefers the call index over the kind index).
    const [indexed, current] = await Promise.all([
      this.dataSource.query("SELECT callId, text FROM vnote_search_docs WHERE tenantId = ? AND kind = 'note'", [
        tenantId,
      ]) as Promise<Array<{ callId: string; text: string }>>,
      this.dataSource.query(
        `SELECT a.callId AS callId, c.notes AS notes FROM vnote_call_analyses a
           JOIN calls c ON c.id = a.callId AND c.tenantId = a.tenantId
          WHERE a.tenantId = ? AND c.notes IS NOT NULL AND c.notes <> ''`,
        [tenantId],
      ) as Promise<Array<{ callId: string; notes: string }>>,
    ]);
    const indexedText = new Map(indexed.map((d) => [d.callId, d.text]));
    const currentNotes = new Map(current.map((c) => [c.callId, c.notes]));
    const stale: Array<{ callId: string; notes: string | null }> = [
      ...current.filter((c) => indexedText.get(c.callId) !== c.notes),
      ...indexed.filter((d) => !currentNotes.has(d.callId)).map((d) => ({ callId: d.callId, notes: null })),
    ];
    if (!stale.length) return 0;
    await this.dataSource.transaction(async (m) => {
      const docs = m.getRepository(VnoteSearchDoc);
      for (const { callId, notes } of stale) {
        await docs.delete({ tenantId, callId, kind: 'note' });
        if (!notes) continue;
        const norm = normaliseText(notes);
        await docs.insert({
          tenantId,
          callId,
          kind: 'note',
          segmentId: null,
          text: notes,
          norm,
          grams: indexTokens(norm),
        });
      }
    });
    return stale.length;
  }
}

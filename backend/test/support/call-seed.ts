import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Call } from '../../src/products/recordings/call.entity';
import { CallTag } from '../../src/products/recordings/call-tag.entity';
import { normaliseNumber, reversedDigits } from '../../src/products/recordings/phone-number';

export interface SeedCall {
  caller: string;
  callee: string;
  startedAt: string;
  extension?: string;
  userId?: string | null;
  direction?: Call['direction'];
  disposition?: Call['disposition'];
  talkSeconds?: number;
  notes?: string | null;
  tags?: string[];
  legalHold?: boolean;
  source?: Call['source'];
  /** 'tokyo' unless given. */
  siteId?: string | null;
  lineId?: string | null;
}

/** Inserts calls straight into the store (search tests need no audio). */
export async function seedCalls(ds: DataSource, tenantId: string, calls: SeedCall[]): Promise<Call[]> {
  const rows = calls.map((s) => {
    const caller = normaliseNumber(s.caller);
    const callee = normaliseNumber(s.callee);
    return ds.getRepository(Call).create({
      id: randomUUID(),
      tenantId,
      clientRecordingId: randomUUID(),
      source: s.source ?? 'flexlog',
      siteId: s.siteId === undefined ? 'tokyo' : s.siteId,
      lineId: s.lineId ?? null,
      direction: s.direction ?? 'inbound',
      callerDialled: caller.dialled,
      callerE164: caller.e164,
      callerDigits: caller.digits,
      callerDigitsReversed: reversedDigits(caller.digits),
      callerName: null,
      calleeDialled: callee.dialled,
      calleeE164: callee.e164,
      calleeDigits: callee.digits,
      calleeDigitsReversed: reversedDigits(callee.digits),
      calleeName: null,
      extension: s.extension ?? null,
      userId: s.userId ?? null,
      startedAt: new Date(s.startedAt),
      answeredAt: null,
      endedAt: null,
      ringSeconds: 3,
      talkSeconds: s.talkSeconds ?? 60,
      disposition: s.disposition ?? 'answered',
      codec: 'PCMU',
      channelLayout: 'stereo',
      quality: null,
      dtmf: null,
      notes: s.notes ?? null,
      legalHold: s.legalHold ?? false,
      createdAt: new Date(),
    });
  });
  // TypeORM's multi-row insert may reorder what it is given and write generated values back into the
  // objects by position, so it gets copies: the rows answered here keep their own ids.
  const ids = rows.map((r) => r.id);
  await ds.getRepository(Call).insert(rows.map((r) => ({ ...r })));
  const tags = calls.flatMap((s, i) => (s.tags ?? []).map((tag) => ({ callId: ids[i], tenantId, tag })));
  if (tags.length) await ds.getRepository(CallTag).insert(tags);
  return rows;
}

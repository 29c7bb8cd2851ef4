import { Injectable } from '@nestjs/common';
import { Call } from '../call.entity';
import { CallSearchService } from '../search/call-search.service';
import { party, PartyView } from '../search/call-view';

/** The newest missed calls listed for follow-up; older ones are a search away. */
export const MISSED_LIST_LIMIT = 50;

export interface MissedCallView {
  id: string;
  startedAt: Date;
  direction: Call['direction'];
  /** The outside party: who called in, or whom an outbound call tried to reach. */
  party: PartyView;
  extension: string | null;
  ringSeconds: number;
  /** When the number was first reached again after this call, or null while it still waits. */
  calledBackAt: Date | null;
}

type Side = 'caller' | 'callee';

/**
 * Missed calls of a range and whether each was followed up: a later call of ours to that number
 * (whatever its outcome: trying counts) or a later call from it that was answered. A later missed
 * call from the same number is not a follow-up. Only calls the user may see are considered.
 */
@Injectable()
export class MissedCalls {
  constructor(private readonly search: CallSearchService) {}

  async recent(start: Date, end: Date): Promise<MissedCallView[]> {
    const missed = await (
      await this.search.matching({ from: start.toISOString(), to: end.toISOString() })
    )
      .andWhere("c.disposition = 'missed'")
      .orderBy('c.startedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(MISSED_LIST_LIMIT)
      .getMany();
    const outside = (c: Call): Side => (c.direction === 'outbound' ? 'callee' : 'caller');
    const digits = [...new Set(missed.map((c) => c[`${outside(c)}Digits`]).filter((d) => d.length > 0))];
    const later = digits.length ? await this.laterContacts(digits, missed[missed.length - 1].startedAt) : [];
    return missed.map((c) => {
      const number = c[`${outside(c)}Digits`];
      const after = later.filter((l) => l.digits === number && l.at > c.startedAt).map((l) => l.at.getTime());
      return {
        id: c.id,
        startedAt: c.startedAt,
        direction: c.direction,
        party:
          outside(c) === 'caller'
            ? party(c.callerDialled, c.callerE164, c.callerName)
            : party(c.calleeDialled, c.calleeE164, c.calleeName),
        extension: c.extension,
        ringSeconds: c.ringSeconds,
        calledBackAt: after.length ? new Date(Math.min(...after)) : null,
      };
    });
  }

  /**
   * Every later contact with these numbers since `since`: our calls to them (ix_calls_callee) and
   * their answered calls to us (ix_calls_caller), each walked on its own index. Whole rows are read
   * only for the handful of numbers on the list, never for the range.
   */
  private async laterContacts(digits: string[], since: Date): Promise<{ digits: string; at: Date }[]> {
    const side = async (s: Side, answeredOnly: boolean) => {
      const qb = (await this.search.matching({ from: since.toISOString() }))
        .andWhere(`c.${s}Digits IN (:...digits)`, { digits })
        .andWhere('c.startedAt > :since', { since });
      if (answeredOnly) qb.andWhere("c.disposition = 'answered'");
      const rows = await qb
        .select([`c.${s}Digits`, 'c.startedAt'])
        .orderBy()
        .getMany();
      return rows.map((r) => ({ digits: r[`${s}Digits`], at: r.startedAt }));
    };
    const [ours, theirs] = await Promise.all([side('callee', false), side('caller', true)]);
    return [...ours, ...theirs];
  }
}

import { DEFAULT_VNOTE_FILTERS, sanitizeVnoteFilters, toVnoteQuery, validateVnoteFilters } from './vnote-filters';

const TODAY = '2026-11-24';

describe('vnote search filters', () => {
  it('builds the call filters of the recordings search plus query, flag and metric filters', () => {
    const q = toVnoteQuery(
      {
        ...DEFAULT_VNOTE_FILTERS,
        q: ' 料金 解約 ',
        direction: 'inbound',
        flag: 'ng',
        minSilenceCount: '2',
        maxOperatorTalkPercent: '70',
      },
      TODAY,
    );
    expect(q).toEqual({
      from: '2026-10-26',
      to: TODAY,
      direction: 'inbound',
      q: '料金 解約',
      flag: 'ng',
      minSilenceCount: '2',
      maxOperatorTalkPercent: '70',
    });
  });

  it('keeps a transcript query up to 200 characters (the recordings one stops at 100)', () => {
    const long = 'あ'.repeat(150);
    expect(toVnoteQuery({ ...DEFAULT_VNOTE_FILTERS, q: long }, TODAY)['q']).toBe(long);
    expect(sanitizeVnoteFilters({ q: long }).q).toBe(long);
  });

  it('names the field of each bad metric value', () => {
    const problems = validateVnoteFilters({
      ...DEFAULT_VNOTE_FILTERS,
      minSilenceCount: '-1',
      minOperatorTalkPercent: '101',
      minSpeechRate: '500',
      maxSpeechRate: '300',
      minLongestMonologueSeconds: '1.5',
    });
    expect(problems).toEqual([
      { field: 'minSilenceCount', key: 'wholeNumber' },
      { field: 'minOperatorTalkPercent', key: 'percent' },
      { field: 'minLongestMonologueSeconds', key: 'wholeNumber' },
      { field: 'maxSpeechRate', key: 'minAboveMax' },
    ]);
  });

  it('rebuilds filters from a URL, dropping unknown keys and values', () => {
    const f = sanitizeVnoteFilters({ flag: 'evil', minOverlapCount: '3', direction: 'sideways', extra: 'x' });
    expect(f.flag).toBe('');
    expect(f.minOverlapCount).toBe('3');
    expect(f.direction).toBe('');
    expect(f).not.toHaveProperty('extra');
  });
});

import {
  DEFAULT_FILTERS,
  SearchFilters,
  changedFilters,
  periodRange,
  sanitizeFilters,
  toQuery,
  validateFilters,
} from './search-filters';

const f = (patch: Partial<SearchFilters>): SearchFilters => ({ ...DEFAULT_FILTERS, ...patch });

describe('search filters', () => {
  // 2026-11-25 is a Wednesday.
  const today = '2026-11-25';

  it('turns presets into whole days of the tenant calendar, weeks from Monday', () => {
    expect(periodRange(f({ period: 'today' }), today)).toEqual({ from: today, to: today });
    expect(periodRange(f({ period: 'week' }), today)).toEqual({ from: '2026-11-23', to: today });
    expect(periodRange(f({ period: 'week' }), '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // Sunday
    expect(periodRange(f({ period: 'week' }), '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-23' }); // Monday
    expect(periodRange(f({ period: 'last30' }), '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(periodRange(f({ period: 'all' }), today)).toEqual({});
    expect(periodRange(f({ period: 'custom', from: '2026-01-05', to: '' }), today)).toEqual({ from: '2026-01-05' });
  });

  it('sends only what is set, with the typed number reduced to digits', () => {
    expect(toQuery(f({ period: 'all' }), today)).toEqual({});
    expect(
      toQuery(
        f({
          period: 'today',
          number: '０３－１２３４ー５６７８',
          numberMatch: 'exact',
          direction: 'inbound',
          minTalkSeconds: ' 30 ',
          hasNotes: 'true',
          tag: '  ',
          sort: 'asc',
        }),
        today,
      ),
    ).toEqual({
      from: today,
      to: today,
      number: '0312345678',
      numberMatch: 'exact',
      direction: 'inbound',
      minTalkSeconds: '30',
      hasNotes: 'true',
      sort: 'asc',
    });
    expect(toQuery(f({ period: 'all', number: '+81 3-1234' }), today)).toEqual({
      number: '+8131234',
      numberMatch: 'prefix',
    });
  });

  it('names the field of each problem', () => {
    expect(validateFilters(DEFAULT_FILTERS)).toEqual([]);
    expect(validateFilters(f({ minTalkSeconds: '-1', maxTalkSeconds: '1.5' }))).toEqual([
      { field: 'minTalkSeconds', key: 'seconds' },
      { field: 'maxTalkSeconds', key: 'seconds' },
    ]);
    expect(validateFilters(f({ minTalkSeconds: '60', maxTalkSeconds: '30' }))).toEqual([
      { field: 'maxTalkSeconds', key: 'minAboveMax' },
    ]);
    expect(validateFilters(f({ period: 'custom', from: '2026-02-01', to: '2026-01-01' }))).toEqual([
      { field: 'to', key: 'fromAfterTo' },
    ]);
    expect(validateFilters(f({ number: 'abc' }))).toEqual([{ field: 'number', key: 'number' }]);
  });

  it('rebuilds filters from untrusted input without letting bad values through', () => {
    const clean = sanitizeFilters({
      period: 'yesterday',
      from: '2026-13-99x',
      direction: 'sideways',
      numberMatch: 'exact',
      number: { digits: '03' },
      minTalkSeconds: 60,
      extension: 'x'.repeat(100),
      hasNotes: 'maybe',
      unknown: 'dropped',
    });
    expect(clean.period).toBe('last30');
    expect(clean.from).toBe('');
    expect(clean.direction).toBe('');
    expect(clean.numberMatch).toBe('exact');
    expect(clean.number).toBe('');
    expect(clean.minTalkSeconds).toBe('60'); // type=number inputs hand over numbers
    expect(clean.extension).toHaveLength(32);
    expect(clean.hasNotes).toBe('');
    expect(Object.keys(clean).sort()).toEqual(Object.keys(DEFAULT_FILTERS).sort());
  });

  it('round-trips through the URL form (only changed fields)', () => {
    const filters = f({ period: 'week', number: '03-1234-5678', legalHold: 'true' });
    const changed = changedFilters(filters);
    expect(changed).toEqual({ period: 'week', number: '03-1234-5678', legalHold: 'true' });
    expect(sanitizeFilters(changed)).toEqual(filters);
  });
});

import { dtmfRows, qualityRows } from './call-facts';

describe('call facts', () => {
  const startedAt = '2026-11-24T01:00:00.000Z';

  it('reads DTMF events in the spellings capture clients use', () => {
    expect(
      dtmfRows(
        [
          { digit: '1', at: '2026-11-24T01:00:02.500Z', durationMs: 120, sender: 'caller' },
          { digit: '#', atMs: 3200 },
          { key: '5', offset: 10, sender: 'someone' },
          '9',
          { unexpected: true },
        ],
        startedAt,
      ),
    ).toEqual([
      { digit: '1', at: 2.5, sender: 'caller' },
      { digit: '#', at: 3.2, sender: null },
      { digit: '5', at: 10, sender: null },
      { digit: '9', at: null, sender: null },
      { digit: '{"unexpected":true}', at: null, sender: null },
    ]);
    expect(dtmfRows(null, startedAt)).toEqual([]);
  });

  it('labels known quality figures, lists a nested group by path and keeps unknown ones by key', () => {
    expect(
      qualityRows({ mos: 4.234, jitterMs: 12, rtcp: { reports: 3, jitterMs: 8 }, vendorScore: 'A', list: [1] }, 'ja'),
    ).toEqual([
      { key: 'mos', label: 'mos', value: '4.23' },
      { key: 'jitterMs', label: 'jitter', value: '12' },
      { key: 'rtcp.reports', label: 'rtcpReports', value: '3' },
      { key: 'rtcp.jitterMs', label: 'rtcpJitter', value: '8' },
      { key: 'vendorScore', label: null, value: 'A' },
      { key: 'list', label: null, value: '[1]' },
    ]);
    expect(qualityRows({ mos: 4, rtcp: null }, 'en')).toEqual([{ key: 'mos', label: 'mos', value: '4' }]);
    expect(qualityRows(null, 'en')).toEqual([]);
  });
});

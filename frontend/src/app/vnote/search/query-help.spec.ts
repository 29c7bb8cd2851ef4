import { MAX_QUERY_LENGTH, QUERY_EXAMPLES, explainQuery } from './query-help';

const roles = (q: string) => explainQuery(q).terms.map((t) => `${t.role}:${t.phrase ? '"' + t.text + '"' : t.text}`);

describe('explainQuery', () => {
  it('reads words separated by spaces as all required (AND)', () => {
    expect(roles('料金 解約')).toEqual(['all:料金', 'all:解約']);
  });

  it('keeps a quoted phrase whole, also with full-width quotes', () => {
    expect(roles('"お世話に なっております" 解約')).toEqual(['all:"お世話に なっております"', 'all:解約']);
    expect(roles('“お世話になっております”')).toEqual(['all:"お世話になっております"']);
  });

  it('reads OR, | and ｜ as alternatives', () => {
    expect(roles('解約 OR 退会')).toEqual(['any:解約', 'any:退会']);
    expect(roles('解約｜退会 料金')).toEqual(['any:解約', 'any:退会', 'all:料金']);
  });

  it('reads -word and NOT word as exclusions, and NOT before a group excludes the group', () => {
    expect(roles('解約 -キャンペーン')).toEqual(['all:解約', 'none:キャンペーン']);
    expect(roles('解約 NOT (引き止め OR 特典)')).toEqual(['all:解約', 'none:引き止め', 'none:特典']);
    expect(roles('(解約 OR 退会) NOT 引き止め')).toEqual(['any:解約', 'any:退会', 'none:引き止め']);
  });

  it('keeps a hyphen inside a word (a phone number is not an exclusion)', () => {
    expect(roles('03-1234-5678')).toEqual(['all:03-1234-5678']);
  });

  it('reports the problems the server would refuse, before asking it', () => {
    expect(explainQuery('"お世話に').problem).toBe('quotes');
    expect(explainQuery('(解約 OR 退会').problem).toBe('parens');
    expect(explainQuery('解約) (').problem).toBe('parens');
    expect(explainQuery('-解約 NOT 退会').problem).toBe('onlyExclusions');
    expect(explainQuery('あ'.repeat(MAX_QUERY_LENGTH + 1)).problem).toBe('tooLong');
    expect(explainQuery('').problem).toBeNull();
  });

  it('has help examples that are all valid queries', () => {
    for (const e of QUERY_EXAMPLES)
      expect({ q: e.query, problem: explainQuery(e.query).problem }).toEqual({ q: e.query, problem: null });
  });
});

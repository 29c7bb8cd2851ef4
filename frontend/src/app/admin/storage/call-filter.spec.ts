import { toCallFilter } from './call-filter';

const EMPTY = { from: '', to: '', number: '', direction: '', source: '', extension: '', tag: '' };

describe('toCallFilter', () => {
  it('leaves out empty fields, so an empty form means every call', () => {
    expect(toCallFilter(EMPTY)).toEqual({});
  });

  it('normalises a typed number and matches it exactly', () => {
    expect(
      toCallFilter({ ...EMPTY, number: '０３－１２３４－５６７８', from: '2026-01-01', source: 'flexlog' }),
    ).toEqual({
      number: '0312345678',
      numberMatch: 'exact',
      from: '2026-01-01',
      source: 'flexlog',
    });
  });
});

import { CallView } from '../recordings.types';
import { DEFAULT_COLUMNS, customerName, gridMinWidth, gridTracks, sanitizeColumns } from './call-columns';

describe('columns', () => {
  it('keeps known columns in their fixed order and falls back to the defaults', () => {
    expect(sanitizeColumns(['tags', 'startedAt', 'bogus'])).toEqual(['startedAt', 'tags']);
    expect(sanitizeColumns('nonsense')).toEqual(DEFAULT_COLUMNS);
    expect(sanitizeColumns([])).toEqual(DEFAULT_COLUMNS);
  });

  it('names the customer: the caller of an inbound call, the callee of an outbound one', () => {
    const party = (name: string) => ({ number: '', e164: null, display: '', withheld: false, name });
    const call = { direction: 'inbound', caller: party('顧客'), callee: party('社員') } as CallView;
    expect(customerName(call)).toBe('顧客');
    expect(customerName({ ...call, direction: 'outbound' })).toBe('社員');
  });
});

describe('grid widths', () => {
  it('gives fixed columns their width, flexible ones a minimum, and sums the minimum row', () => {
    expect(gridTracks(['direction', 'caller'])).toBe('36px minmax(112px, 1fr) 40px');
    // 36 + 112 + play 40, two gaps of 6, padding 16
    expect(gridMinWidth(['direction', 'caller'])).toBe(36 + 112 + 40 + 12 + 16);
  });
});

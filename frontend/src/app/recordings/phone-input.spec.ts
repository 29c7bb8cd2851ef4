import { formatTypedNumber, numberForSearch } from './phone-input';

describe('phone input', () => {
  it.each([
    ['03-1234-5678', '0312345678'],
    ['０３－１２３４－５６７８', '0312345678'],
    ['03ー1234ー5678', '0312345678'],
    ['(03) 1234 5678', '0312345678'],
    ['+81 3-1234-5678', '+81312345678'],
    ['＋８１３１２３４', '+8131234'],
    ['abc', ''],
  ])('reduces %s to %s for the search API', (typed, digits) => {
    expect(numberForSearch(typed)).toBe(digits);
  });

  it.each([
    ['0312345678', '03-1234-5678'],
    ['０９０１１１１２２２２', '090-1111-2222'],
    ['+81312345678', '03-1234-5678'],
    ['0120-123-456', '0120-123-456'],
    ['0312', '03-12'],
    ['', ''],
  ])('shows %s as %s', (typed, shown) => {
    expect(formatTypedNumber(typed)).toBe(shown);
  });
});

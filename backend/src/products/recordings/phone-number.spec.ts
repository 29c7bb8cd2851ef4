import { normaliseNumber, searchDigits } from './phone-number';

describe('normaliseNumber', () => {
  it.each([
    ['03-1234-5678', '+81312345678', '0312345678', '03-1234-5678'],
    ['0312345678', '+81312345678', '0312345678', '03-1234-5678'],
    ['+81 3 1234 5678', '+81312345678', '0312345678', '03-1234-5678'],
    ['090-1111-2222', '+819011112222', '09011112222', '090-1111-2222'],
    ['0120-123-456', '+81120123456', '0120123456', '0120-123-456'],
    ['+1 415 555 2671', '+14155552671', '14155552671', '+1 415 555 2671'],
  ])('%s -> %s', (input, e164, digits, display) => {
    expect(normaliseNumber(input)).toMatchObject({ e164, digits, display, withheld: false });
  });

  it.each(['', 'anonymous', '非通知', 'Restricted'])('treats %j as withheld', (input) => {
    expect(normaliseNumber(input)).toMatchObject({ e164: null, withheld: true });
  });

  it('keeps extensions and short codes as digits', () => {
    expect(normaliseNumber('201')).toMatchObject({ e164: null, digits: '201', display: '201' });
  });
});

describe('searchDigits', () => {
  it.each([
    ['03-1234', '031234'],
    ['０３１２', '0312'],
    ['+81 3 1234', '031234'],
    ['+81-90-1111', '0901111'],
    ['5678', '5678'],
  ])('%s -> %s', (typed, digits) => {
    expect(searchDigits(typed)).toBe(digits);
  });
});

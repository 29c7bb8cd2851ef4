import { parseRange, UnsatisfiableRangeError } from './http-range';

describe('parseRange', () => {
  it.each([
    [undefined, null],
    ['bytes=0-', { start: 0, end: 1000 }],
    ['bytes=0-0', { start: 0, end: 1 }],
    ['bytes=100-199', { start: 100, end: 200 }],
    ['bytes=900-5000', { start: 900, end: 1000 }],
    ['bytes=-100', { start: 900, end: 1000 }],
    ['bytes=-5000', { start: 0, end: 1000 }],
    ['bytes=0-1,5-9', null],
    ['items=0-1', null],
  ])('%s', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=2000-3000', 'bytes=-0', 'bytes=5-4'])('%s is unsatisfiable', (header) => {
    expect(() => parseRange(header, 1000)).toThrow(UnsatisfiableRangeError);
  });
});

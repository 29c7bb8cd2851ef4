import { EXTENSION_PATTERN, parseExtensions } from './users.service';

describe('parseExtensions', () => {
  it('splits on commas, ideographic commas and spaces and drops duplicates', () => {
    expect(parseExtensions('201, 202 203、201')).toEqual(['201', '202', '203']);
  });

  it('turns full-width digits into ASCII and an empty box into no extensions', () => {
    expect(parseExtensions('２０１')).toEqual(['201']);
    expect(parseExtensions('  ')).toEqual([]);
  });

  it('lets the pattern refuse what the API refuses', () => {
    expect(EXTENSION_PATTERN.test('*9#')).toBe(true);
    expect(EXTENSION_PATTERN.test('20a')).toBe(false);
  });
});

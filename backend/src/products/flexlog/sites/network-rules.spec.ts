import { canonicalCidr, extensionPatternRegex, extensionsRegex, lineNumber, trunkAddress } from './network-rules';

const regexOf = (pattern: string) => {
  const result = extensionPatternRegex(pattern);
  if (!('regex' in result)) throw new Error(`${pattern}: ${result.problem}`);
  return new RegExp(`^${result.regex}$`);
};

const numbersOfLength = (length: number) =>
  Array.from({ length: 10 ** length }, (_, i) => String(i).padStart(length, '0'));

describe('canonicalCidr', () => {
  it.each([
    ['192.168.0.0/16', '192.168.0.0/16'],
    [' 10.0.0.0/8 ', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['172.16.5.4/32', '172.16.5.4/32'],
    ['FD00::/8', 'fd00::/8'],
    ['2001:0db8:0000:0000:0000:0000:0000:0000/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::ffff:192.168.1.0/120', '::ffff:c0a8:100/120'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(canonicalCidr(input)).toEqual({ cidr: canonical });
  });

  it.each([
    ['192.168.1.5/24', 'host bits set (did you mean 192.168.1.0/24?)'],
    ['10.0.0.0/33', 'prefix length must be 0-32'],
    ['fd00::/129', 'prefix length must be 0-128'],
    ['fd00::1/8', 'did you mean fd00::/8?'],
    ['10.0.0.0', 'needs a prefix length, e.g. /24'],
    ['fd00::', 'needs a prefix length, e.g. /64'],
    ['10.0.0.0/8/8', 'more than one "/"'],
    ['10.0.0.256/32', 'not an IPv4 or IPv6 address'],
    ['fe80::%eth0/64', 'not an IPv4 or IPv6 address'],
    ['office/24', 'not an IPv4 or IPv6 address'],
    ['10.0.0.0/-1', 'prefix length must be 0-32'],
  ])('refuses %s', (input, problem) => {
    const result = canonicalCidr(input);
    expect('problem' in result && result.problem).toContain(problem);
  });
});

describe('extension patterns', () => {
  // Every number of the length is tried: the expression must match exactly the range, no more.
  it.each([
    ['200-299', 3],
    ['205-317', 3],
    ['100-100', 3],
    ['0-9', 1],
    ['3-7', 1],
    ['0100-0199', 4],
    ['1234-5678', 4],
    ['0999-1000', 4],
    ['0000-9999', 4],
    ['4200-4209', 4],
  ])('range %s matches exactly its numbers', (pattern, length) => {
    const [low, high] = pattern.split('-').map(Number);
    const regex = regexOf(pattern);
    const wrong = numbersOfLength(length).filter((n) => regex.test(n) !== (Number(n) >= low && Number(n) <= high));
    expect(wrong).toEqual([]);
    expect(regex.test('1'.repeat(length + 1))).toBe(false);
  });

  it('x stands for any one digit, and plain numbers match only themselves', () => {
    const regex = regexOf('3xxx');
    expect(numbersOfLength(4).filter((n) => regex.test(n))).toHaveLength(1000);
    expect(['3000', '3999'].every((n) => regex.test(n))).toBe(true);
    expect(['2999', '300', '30000', '3a00'].some((n) => regex.test(n))).toBe(false);
    expect(regexOf('2X1').test('291')).toBe(true);
    expect(regexOf('201').test('2010')).toBe(false);
  });

  it.each([
    ['200-2999', 'same number of digits'],
    ['299-200', 'starts after it ends'],
    ['2*', 'use digits with x'],
    ['', 'use digits with x'],
    ['1'.repeat(17), 'at most 16 digits'],
  ])('refuses %j', (pattern, problem) => {
    const result = extensionPatternRegex(pattern);
    expect('problem' in result && result.problem).toContain(problem);
  });

  it('joins a site’s patterns into one anchored expression', () => {
    const regex = new RegExp(extensionsRegex(['200-299', '3xxx', '0']) ?? '');
    expect(['200', '250', '3001', '0'].every((n) => regex.test(n))).toBe(true);
    expect(['199', '300', '03001', '00'].some((n) => regex.test(n))).toBe(false);
    expect(extensionsRegex([])).toBeNull();
  });
});

describe('line numbers and trunks', () => {
  it('keeps digits and a leading +', () => {
    expect(lineNumber('03-1234-5678')).toEqual({ number: '0312345678' });
    expect(lineNumber('+81 3 1234 5678')).toEqual({ number: '+81312345678' });
    expect('problem' in lineNumber('東京店')).toBe(true);
    expect('problem' in lineNumber('03-12a4')).toBe(true);
  });

  it('takes IP addresses and host names', () => {
    expect(trunkAddress('203.0.113.10')).toEqual({ trunk: '203.0.113.10' });
    expect(trunkAddress('2001:db8::5')).toEqual({ trunk: '2001:db8::5' });
    expect(trunkAddress('SBC.Carrier.example.jp')).toEqual({ trunk: 'sbc.carrier.example.jp' });
    expect('problem' in trunkAddress('sip:sbc.example.jp')).toBe(true);
    expect('problem' in trunkAddress('-bad-.example')).toBe(true);
  });
});

import { isIPv4, isIPv6 } from 'node:net';

// The rules a capture box classifies calls by: the site's internal networks (CIDR blocks) and its
// extension patterns. Checked here when an admin saves them, so a typo is a 400 naming the entry,
// not a capture box that silently calls every call "unknown".

/** A CIDR block in canonical text (`192.168.0.0/16`, `fd00::/8`), or the reason it is not one. */
export function canonicalCidr(text: string): { cidr: string } | { problem: string } {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length) return { problem: 'has more than one "/"' };
  // A zone (fe80::1%eth0) names an interface of one host: it has no place in a network block.
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : 0;
  if (!family) return { problem: 'is not an IPv4 or IPv6 address with a /prefix' };
  const bits = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { problem: `needs a prefix length, e.g. /${family === 4 ? 24 : 64}` };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { problem: `prefix length must be 0-${bits}` };
  }
  const prefix = Number(prefixText);
  const bytes = family === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  const network = bytes.map((byte, i) => byte & maskByte(prefix, i));
  const canonical = family === 4 ? network.join('.') : ipv6Text(network);
  if (network.some((byte, i) => byte !== bytes[i])) {
    return { problem: `has host bits set (did you mean ${canonical}/${prefix}?)` };
  }
  return { cidr: `${canonical}/${prefix}` };
}

/** Bits of byte `i` that belong to the network part of a /prefix. */
const maskByte = (prefix: number, i: number) => {
  const bits = Math.max(0, Math.min(8, prefix - i * 8));
  return (0xff00 >> bits) & 0xff;
};

function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = text.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.flatMap((g) => {
    const value = parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}

/** RFC 5952 text of 16 bytes (the URL serializer compresses the longest run of zeros). */
function ipv6Text(bytes: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const MAX_DIGITS = 16;

/**
 * An extension pattern: a number (`201`), digits with `x` for any digit (`3xxx`), or a range of
 * numbers of the same length (`200-299`, `0100-0199`). Answers the regular expression (without
 * anchors) matching exactly those extensions, or the reason the pattern is not one.
 */
export function extensionPatternRegex(text: string): { regex: string } | { problem: string } {
  const pattern = text.trim();
  const range = /^(\d+)-(\d+)$/.exec(pattern);
  if (range) {
    const [, low, high] = range;
    if (low.length !== high.length) {
      return { problem: 'both ends of a range need the same number of digits (e.g. 200-299, 0100-0199)' };
    }
    if (low.length > MAX_DIGITS) return { problem: `extensions have at most ${MAX_DIGITS} digits` };
    if (low > high) return { problem: 'the range starts after it ends' };
    const alternatives = rangeAlternatives(low, high);
    return { regex: alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})` };
  }
  if (!/^[0-9xX]+$/.test(pattern)) {
    return { problem: 'use digits with x for any digit (3xxx), or a range (200-299)' };
  }
  if (pattern.length > MAX_DIGITS) return { problem: `extensions have at most ${MAX_DIGITS} digits` };
  return { regex: pattern.replace(/[xX]+/g, (run) => anyDigits(run.length)) };
}

const anyDigits = (n: number) => (n === 0 ? '' : n === 1 ? '[0-9]' : `[0-9]{${n}}`);
const digitClass = (a: number, b: number) => (a === b ? String(a) : `[${a}-${b}]`);

/** Regular expressions whose union is exactly the numbers low..high (same length, as text). */
function rangeAlternatives(low: string, high: string): string[] {
  if (low === high) return [low];
  const rest = low.length - 1;
  const [a, b] = [Number(low[0]), Number(high[0])];
  if (a === b) return rangeAlternatives(low.slice(1), high.slice(1)).map((r) => low[0] + r);
  const lowIsRound = /^0*$/.test(low.slice(1));
  const highIsRound = /^9*$/.test(high.slice(1));
  const out: string[] = [];
  if (!lowIsRound) out.push(...rangeAlternatives(low.slice(1), '9'.repeat(rest)).map((r) => low[0] + r));
  const [from, to] = [lowIsRound ? a : a + 1, highIsRound ? b : b - 1];
  if (from <= to) out.push(digitClass(from, to) + anyDigits(rest));
  if (!highIsRound) out.push(...rangeAlternatives('0'.repeat(rest), high.slice(1)).map((r) => high[0] + r));
  return out;
}

/** One anchored expression for a site's patterns, in the form the capture's DirectionRules take. */
export function extensionsRegex(patterns: string[]): string | null {
  const parts = patterns.map(extensionPatternRegex).flatMap((r) => ('regex' in r ? [r.regex] : []));
  return parts.length ? `^(?:${parts.join('|')})$` : null;
}

/** A line's number as the capture compares it: digits, with a leading + kept. */
export function lineNumber(text: string): { number: string } | { problem: string } {
  const number = text.trim().replace(/[\s()-]/g, '');
  if (!/^\+?\d{2,20}$/.test(number)) return { problem: 'must be a phone number (digits, +, - and spaces)' };
  return { number };
}

/** A trunk: the IP address or host name of the SIP peer (carrier gateway, SBC) a line's calls pass through. */
export function trunkAddress(text: string): { trunk: string } | { problem: string } {
  const trunk = text.trim().toLowerCase();
  if (isIPv4(trunk) || isIPv6(trunk)) return { trunk };
  const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
  return hostname.test(trunk) ? { trunk } : { problem: 'must be an IP address or a host name' };
}

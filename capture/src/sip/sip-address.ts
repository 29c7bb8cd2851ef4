// Party identities in SIP headers: name-addr / addr-spec (RFC 3261 §20.10, §25.1) as found in
// From, To, P-Asserted-Identity, Remote-Party-ID and Diversion, and the number in their URI.

export interface NameAddr {
  /** Display name, unquoted and unescaped ('' when absent). */
  displayName: string;
  uri: string;
  /** Header parameters after the address (tag, reason, party, privacy, …), lower-case names. */
  params: Map<string, string>;
}

/** Splits a header value on top-level commas (not inside quotes or <…>). */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part !== '');
}

function parseParams(text: string, into: Map<string, string>): void {
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    const name = (eq === -1 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    let value = eq === -1 ? '' : piece.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    into.set(name, value);
  }
}

/** Parses one name-addr or addr-spec; null if no URI can be found. */
export function parseNameAddr(value: string): NameAddr | null {
  const text = value.trim();
  const params = new Map<string, string>();
  let displayName = '';
  let rest = text;
  if (rest.startsWith('"')) {
    let name = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\' && i + 1 < rest.length) i++;
      name += rest[i];
    }
    if (i >= rest.length) return null;
    displayName = name;
    rest = rest.slice(i + 1);
  }
  const open = rest.indexOf('<');
  let uri: string;
  if (open !== -1) {
    const close = rest.indexOf('>', open);
    if (close === -1) return null;
    if (!displayName) displayName = rest.slice(0, open).trim();
    uri = rest.slice(open + 1, close).trim();
    parseParams(rest.slice(close + 1), params);
  } else {
    // addr-spec: everything after the first ';' is header parameters, not URI parameters.
    const semi = rest.indexOf(';');
    uri = (semi === -1 ? rest : rest.slice(0, semi)).trim();
    if (semi !== -1) parseParams(rest.slice(semi + 1), params);
  }
  if (!uri || /\s/.test(uri)) return null;
  return { displayName, uri, params };
}

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The user part of a sip:/sips:/tel: URI ("0312345678" from "sip:0312345678;npdi@host:5060;user=phone",
 * "+81312345678" from "tel:+81-3-1234-5678;phone-context=…"), or '' when the URI has no user.
 */
export function uriUser(uri: string): string {
  const colon = uri.indexOf(':');
  const scheme = colon === -1 ? '' : uri.slice(0, colon).toLowerCase();
  const rest = colon === -1 ? uri : uri.slice(colon + 1);
  if (scheme === 'tel') {
    const number = rest.split(';')[0];
    // Visual separators are not part of a telephone number (RFC 3966 §5.1.1).
    return percentDecode(number).replace(/[-.()\s]/g, '');
  }
  if (scheme !== 'sip' && scheme !== 'sips') return '';
  const at = rest.indexOf('@');
  if (at === -1) return '';
  // User parameters (";npdi", ";isub=") and a password (":secret") are not part of the number.
  return percentDecode(rest.slice(0, at).split(/[;:]/)[0]);
}

/** Host part of a sip:/sips: URI (without port), lower-case; '' if none. */
export function uriHost(uri: string): string {
  const match = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;?>]+)/i.exec(uri);
  return match ? match[1].toLowerCase() : '';
}

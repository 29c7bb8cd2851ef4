// SIP message parsing (RFC 3261 §7): start line, headers (folded lines, compact forms, names in any
// case) and body. Sizes are bounded so that hostile input costs little and is reported, not thrown.

export const MAX_SIP_HEADER_BYTES = 64 * 1024;
export const MAX_SIP_HEADERS = 200;

export interface SipMessage {
  kind: 'request' | 'response';
  /** Request method; for a response, the method of its CSeq (what it answers). */
  method: string;
  /** Request-URI of a request, '' for a response. */
  requestUri: string;
  /** Status code of a response, 0 for a request. */
  status: number;
  /** Header values by lower-case full header name, in order of appearance. */
  headers: Map<string, string[]>;
  callId: string;
  cseq: number;
  body: Buffer;
}

export type SipParseFailure =
  | 'notSip' // no SIP start line
  | 'headersTooLarge'
  | 'tooManyHeaders'
  | 'badHeader'
  | 'missingHeaders' // no Call-ID, CSeq, From or To
  | 'badContentLength';

export type SipParseResult = { ok: true; message: SipMessage } | { ok: false; failure: SipParseFailure };

const COMPACT_NAMES: Readonly<Record<string, string>> = {
  i: 'call-id',
  f: 'from',
  t: 'to',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  v: 'via',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  u: 'allow-events',
};

const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9._!%*+`'~-]*) +(\S+) +SIP\/2\.0 *$/;
const STATUS_LINE = /^SIP\/2\.0 +([1-6]\d\d)(?: .*)?$/;
const CSEQ = /^(\d{1,10})\s+([A-Za-z][A-Za-z0-9._!%*+`'~-]*)\s*$/;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Where the header section ends: index of the blank line's first byte and of the body's first
 * byte, or null if no blank line occurs before `limit`. Accepts bare-LF line ends too.
 */
export function findHeaderEnd(buf: Buffer, from: number, limit: number): { end: number; bodyStart: number } | null {
  const stop = Math.min(buf.length, limit);
  for (let i = buf.indexOf(LF, from); i !== -1 && i < stop; i = buf.indexOf(LF, i + 1)) {
    const next = buf[i + 1];
    if (next === LF) return { end: i, bodyStart: i + 2 };
    if (next === CR && buf[i + 2] === LF) return { end: i, bodyStart: i + 3 };
  }
  return null;
}

/** Canonical lower-case header name (compact forms expanded). */
export function canonicalHeaderName(raw: string): string {
  const name = raw.trim().toLowerCase();
  return COMPACT_NAMES[name] ?? name;
}

/** First value of a header, or '' when absent. */
export function header(message: SipMessage, name: string): string {
  return message.headers.get(name)?.[0] ?? '';
}

/**
 * Parses one complete SIP message. `datagram` is true for UDP, where a missing Content-Length
 * means "the rest of the datagram" (RFC 3261 §18.3); over a stream the framer has already cut the
 * body to length.
 */
export function parseSipMessage(buf: Buffer): SipParseResult {
  let start = 0;
  // Keep-alive CRLFs may precede a message.
  while (start < buf.length && (buf[start] === CR || buf[start] === LF)) start++;
  const headerEnd = findHeaderEnd(buf, start, start + MAX_SIP_HEADER_BYTES);
  if (!headerEnd && buf.length - start > MAX_SIP_HEADER_BYTES) return { ok: false, failure: 'headersTooLarge' };
  const end = headerEnd ? headerEnd.end : buf.length;
  const bodyStart = headerEnd ? headerEnd.bodyStart : buf.length;

  const lines = buf.toString('utf8', start, end).split(/\r?\n/);
  const startLine = lines[0].trimEnd();
  let kind: SipMessage['kind'];
  let method = '';
  let requestUri = '';
  let status = 0;
  const request = REQUEST_LINE.exec(startLine);
  if (request) {
    kind = 'request';
    method = request[1].toUpperCase();
    requestUri = request[2];
  } else {
    const response = STATUS_LINE.exec(startLine);
    if (!response) return { ok: false, failure: 'notSip' };
    kind = 'response';
    status = Number(response[1]);
  }

  const headers = new Map<string, string[]>();
  let count = 0;
  let current: { name: string; value: string } | null = null;
  const flush = () => {
    if (!current) return;
    const values = headers.get(current.name);
    if (values) values.push(current.value.trim());
    else headers.set(current.name, [current.value.trim()]);
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // Folded continuation of the previous header (RFC 3261 §7.3.1).
      if (!current) return { ok: false, failure: 'badHeader' };
      current.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, failure: 'badHeader' };
    flush();
    if (++count > MAX_SIP_HEADERS) return { ok: false, failure: 'tooManyHeaders' };
    current = { name: canonicalHeaderName(line.slice(0, colon)), value: line.slice(colon + 1) };
  }
  flush();

  const callId = headers.get('call-id')?.[0];
  const cseqMatch = CSEQ.exec(headers.get('cseq')?.[0] ?? '');
  if (!callId || !cseqMatch || !headers.has('from') || !headers.has('to')) {
    return { ok: false, failure: 'missingHeaders' };
  }
  if (kind === 'response') method = cseqMatch[2].toUpperCase();

  let body = buf.subarray(bodyStart);
  const declared = headers.get('content-length')?.[0];
  if (declared !== undefined) {
    if (!/^\d{1,9}$/.test(declared)) return { ok: false, failure: 'badContentLength' };
    const length = Number(declared);
    // A datagram shorter than its Content-Length was truncated; keep what arrived.
    if (length < body.length) body = body.subarray(0, length);
  }
  return {
    ok: true,
    message: { kind, method, requestUri, status, headers, callId, cseq: Number(cseqMatch[1]), body },
  };
}

/** True when the bytes at `offset` begin like a SIP request or status line (cheap pre-check). */
export function looksLikeSipStart(buf: Buffer, offset = 0): boolean {
  if (buf.length - offset < 8) return false;
  if (buf[offset] === 0x53 && buf.toString('latin1', offset, offset + 8) === 'SIP/2.0 ') return true;
  // A method token in capitals, a space, then somewhere on the line " SIP/2.0".
  let i = offset;
  while (i < buf.length && i - offset < 32 && buf[i] >= 0x41 && buf[i] <= 0x5a) i++;
  if (i === offset || buf[i] !== 0x20) return false;
  const lineEnd = buf.indexOf(LF, i);
  const stop = lineEnd === -1 ? Math.min(buf.length, i + 2048) : lineEnd;
  return buf.subarray(i, stop).indexOf('SIP/2.0') !== -1;
}

import { findHeaderEnd, looksLikeSipStart, MAX_SIP_HEADER_BYTES } from './sip-message';

// Cuts one direction of a TCP connection into SIP messages (RFC 3261 §18.3: framing by
// Content-Length), and, after an HTTP Upgrade, into WebSocket messages carrying SIP (RFC 7118).
// Bytes that cannot start a message are dropped up to the next start line, so one bad message
// does not poison the connection. Everything it holds is bounded.

export const MAX_SIP_BODY_BYTES = 64 * 1024;
const MAX_PENDING_BYTES = MAX_SIP_HEADER_BYTES + MAX_SIP_BODY_BYTES;
const MAX_START_LINE_BYTES = 4096;
const CR = 0x0d;
const LF = 0x0a;
// A connection that shows this much non-SIP before its first message is some other protocol.
const MAX_JUNK_BEFORE_FIRST_MESSAGE = 64 * 1024;
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im;

export type FramerProblem = 'junk' | 'oversized' | 'badWebSocketFrame' | 'notSip';

export class SipStreamFramer {
  private pending: Buffer | null = null;
  private mode: 'sip' | 'websocket' | 'lost' = 'sip';
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  /** Bytes of the pending message's head already searched for the blank line. */
  private headerScanned = 0;
  private messages = 0;
  private junkBeforeFirstMessage = 0;

  constructor(
    private readonly onMessage: (message: Buffer) => void,
    private readonly onProblem: (problem: FramerProblem, bytes: number) => void,
  ) {}

  /** Bytes held while waiting for the rest of a message. */
  get pendingBytes(): number {
    return (this.pending?.length ?? 0) + this.fragmentBytes;
  }

  push(bytes: Buffer): void {
    if (this.mode === 'lost' || bytes.length === 0) return;
    const buf = this.pending ? Buffer.concat([this.pending, bytes]) : bytes;
    const scanned = this.headerScanned;
    this.pending = null;
    this.headerScanned = 0;
    const consumed = this.mode === 'sip' ? this.takeSipMessages(buf, scanned) : this.takeWebSocketFrames(buf, 0);
    if (consumed < buf.length) {
      if (buf.length - consumed > MAX_PENDING_BYTES) {
        this.onProblem('oversized', buf.length - consumed);
        return;
      }
      // A copy: the packet layer may reuse its buffer once we return.
      this.pending = Buffer.from(buf.subarray(consumed));
    }
  }

  /** Returns how many bytes were consumed; the rest waits for more data. */
  private takeSipMessages(buf: Buffer, alreadyScanned: number): number {
    let pos = 0;
    while (pos < buf.length) {
      while (pos < buf.length && (buf[pos] === CR || buf[pos] === LF)) pos++;
      if (pos >= buf.length) break;
      const lineEnd = buf.indexOf(LF, pos);
      if (lineEnd === -1) {
        if (buf.length - pos > MAX_START_LINE_BYTES) return this.dropJunk(buf, pos, buf.length);
        break;
      }
      if (this.isWebSocketUpgrade(buf, pos)) {
        const head = findHeaderEnd(buf, pos, pos + MAX_SIP_HEADER_BYTES);
        if (!head) break;
        this.mode = 'websocket';
        return this.takeWebSocketFrames(buf, head.bodyStart);
      }
      if (!looksLikeSipStart(buf, pos)) {
        pos = this.dropJunk(buf, pos, this.nextStartLine(buf, lineEnd + 1));
        continue;
      }
      // Resume the blank-line search where the previous push stopped, not from the start.
      const scanFrom = pos === 0 ? Math.max(0, alreadyScanned - 3) : pos;
      const head = findHeaderEnd(buf, scanFrom, pos + MAX_SIP_HEADER_BYTES);
      if (!head) {
        if (buf.length - pos <= MAX_SIP_HEADER_BYTES) {
          this.headerScanned = buf.length - pos;
          break;
        }
        this.onProblem('oversized', buf.length - pos);
        pos = this.dropJunk(buf, pos, this.nextStartLine(buf, lineEnd + 1));
        continue;
      }
      const lengthMatch = CONTENT_LENGTH.exec(buf.toString('latin1', pos, head.end));
      const bodyLength = lengthMatch ? Number(lengthMatch[1]) : 0;
      if (bodyLength > MAX_SIP_BODY_BYTES) {
        this.onProblem('oversized', head.bodyStart - pos);
        pos = head.bodyStart;
        continue;
      }
      const end = head.bodyStart + bodyLength;
      if (end > buf.length) break;
      this.messages++;
      this.onMessage(buf.subarray(pos, end));
      pos = end;
    }
    return pos;
  }

  private isWebSocketUpgrade(buf: Buffer, pos: number): boolean {
    const start = buf.toString('latin1', pos, pos + 12);
    if (!start.startsWith('GET ') && !start.startsWith('HTTP/1.1 101')) return false;
    const head = findHeaderEnd(buf, pos, pos + MAX_SIP_HEADER_BYTES);
    // Without the full head yet, assume an upgrade and wait: a GET is never SIP.
    return !head || /^upgrade[ \t]*:[ \t]*websocket/im.test(buf.toString('latin1', pos, head.end));
  }

  /** Index of the next line (at or after `from`) that starts like a SIP message, else buf.length. */
  private nextStartLine(buf: Buffer, from: number): number {
    for (let i = from; i < buf.length;) {
      if (looksLikeSipStart(buf, i)) return i;
      const lineEnd = buf.indexOf(LF, i);
      if (lineEnd === -1) {
        // Keep a trailing partial line: it may be the start of a message still arriving.
        return buf.length - i > MAX_START_LINE_BYTES ? buf.length : i;
      }
      i = lineEnd + 1;
    }
    return buf.length;
  }

  private dropJunk(buf: Buffer, from: number, to: number): number {
    if (to <= from) return to;
    this.onProblem('junk', to - from);
    if (this.messages === 0 && (this.junkBeforeFirstMessage += to - from) > MAX_JUNK_BEFORE_FIRST_MESSAGE) {
      // Stop scanning a connection that carries something else (TLS, HTTP, a file transfer).
      this.mode = 'lost';
      this.onProblem('notSip', 0);
      return buf.length;
    }
    return to;
  }

  private takeWebSocketFrames(buf: Buffer, from: number): number {
    let pos = from;
    while (buf.length - pos >= 2) {
      const first = buf[pos];
      const second = buf[pos + 1];
      const opcode = first & 0x0f;
      const masked = (second & 0x80) !== 0;
      let length = second & 0x7f;
      let headerLength = 2;
      if (length === 126) {
        if (buf.length - pos < 4) break;
        length = buf.readUInt16BE(pos + 2);
        headerLength = 4;
      } else if (length === 127) {
        if (buf.length - pos < 10) break;
        // Anything that needs more than 32 bits is far beyond our bound anyway.
        length = buf.readUInt32BE(pos + 2) !== 0 ? Number.MAX_SAFE_INTEGER : buf.readUInt32BE(pos + 6);
        headerLength = 10;
      }
      if (masked) headerLength += 4;
      if ((first & 0x70) !== 0 || length > MAX_PENDING_BYTES || this.fragmentBytes + length > MAX_PENDING_BYTES) {
        // Reserved bits or absurd sizes: the stream cannot be re-synchronised, so stop following it.
        this.onProblem('badWebSocketFrame', buf.length - pos);
        this.mode = 'lost';
        this.fragments = [];
        this.fragmentBytes = 0;
        return buf.length;
      }
      if (buf.length - pos < headerLength + length) break;
      const payloadStart = pos + headerLength;
      if (opcode <= 2) {
        const payload = Buffer.from(buf.subarray(payloadStart, payloadStart + length));
        if (masked) {
          const key = buf.subarray(payloadStart - 4, payloadStart);
          for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
        }
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (first & 0x80) {
          const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
          this.fragments = [];
          this.fragmentBytes = 0;
          this.onMessage(message);
        }
      }
      // Close, ping and pong frames carry no SIP.
      pos = payloadStart + length;
    }
    return pos;
  }
}

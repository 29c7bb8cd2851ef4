import { canonicalIp } from '../calls/ip-address';
import { CodecInfo, codecFromRtpmap, STATIC_PAYLOAD_TYPES } from '../codecs/codec-registry';

// SDP (RFC 4566) as far as recording needs it: where each media line wants to receive RTP, with
// which payload types, and whether it is on hold (RFC 3264 §8.4: sendonly/inactive, or the older
// c=0.0.0.0 convention).

/** Media lines beyond this are counted and ignored: no real call has more. */
export const MAX_SDP_MEDIA_LINES = 64;
const MAX_FORMATS_PER_MEDIA = 64;

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpMedia {
  /** Position among the m= lines (offer and answer are matched by it, RFC 3264 §6). */
  index: number;
  type: string;
  /** 0 means the stream is rejected or disabled. */
  port: number;
  proto: string;
  payloadTypes: number[];
  /** Receive address: media-level c= or else session-level c=; null if neither. */
  address: string | null;
  direction: MediaDirection;
  /** True for c=0.0.0.0 (or ::), the pre-RFC 3264 way to put a call on hold. */
  nullAddress: boolean;
  codecs: Map<number, CodecInfo>;
  ptime: number | null;
  rtcpPort: number | null;
  rtcpMux: boolean;
}

export interface SessionDescription {
  media: SdpMedia[];
  /** m= lines beyond MAX_SDP_MEDIA_LINES, skipped. */
  droppedMediaLines: number;
}

export type SdpParseResult = { ok: true; sdp: SessionDescription } | { ok: false; failure: string };

const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

function parseConnection(value: string): { address: string | null; nullAddress: boolean } | null {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 3 || parts[0] !== 'IN' || (parts[1] !== 'IP4' && parts[1] !== 'IP6')) return null;
  const address = canonicalIp(parts[2].split('/')[0]);
  if (!address) return null;
  const nullAddress = address === '0.0.0.0' || address === '::';
  return { address: nullAddress ? null : address, nullAddress };
}

export function parseSdp(body: Buffer | string): SdpParseResult {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const lines = text.split(/\r?\n/);
  if (!lines[0]?.startsWith('v=')) return { ok: false, failure: 'no v= line' };

  let sessionConnection: ReturnType<typeof parseConnection> = null;
  let sessionDirection: MediaDirection = 'sendrecv';
  const media: SdpMedia[] = [];
  // Media lines with their own c= or direction; the others inherit the session's.
  const ownConnection = new Set<SdpMedia>();
  const ownDirection = new Set<SdpMedia>();
  let dropped = 0;
  let current: (typeof media)[number] | null = null;
  let skipping = false;

  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.length < 2 || line[1] !== '=') continue;
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      if (media.length >= MAX_SDP_MEDIA_LINES) {
        dropped++;
        skipping = true;
        continue;
      }
      const parts = value.trim().split(/\s+/);
      const port = Number(parts[1]?.split('/')[0]);
      if (parts.length < 3 || !Number.isInteger(port) || port < 0 || port > 65535) {
        return { ok: false, failure: `bad m= line: ${value.slice(0, 80)}` };
      }
      const payloadTypes = parts
        .slice(3, 3 + MAX_FORMATS_PER_MEDIA)
        .map(Number)
        .filter((pt) => Number.isInteger(pt) && pt >= 0 && pt <= 127);
      const codecs = new Map<number, CodecInfo>();
      for (const pt of payloadTypes) {
        const known = STATIC_PAYLOAD_TYPES.get(pt);
        if (known) codecs.set(pt, known);
      }
      current = {
        index: media.length,
        type: parts[0].toLowerCase(),
        port,
        proto: parts[2],
        payloadTypes,
        address: null,
        direction: 'sendrecv',
        nullAddress: false,
        codecs,
        ptime: null,
        rtcpPort: null,
        rtcpMux: false,
      };
      media.push(current);
      skipping = false;
      continue;
    }
    if (skipping) continue;
    if (type === 'c') {
      const connection = parseConnection(value);
      if (!connection) return { ok: false, failure: `bad c= line: ${value.slice(0, 80)}` };
      if (current) {
        current.address = connection.address;
        current.nullAddress = connection.nullAddress;
        ownConnection.add(current);
      } else {
        sessionConnection = connection;
      }
    } else if (type === 'a') {
      const colon = value.indexOf(':');
      const name = (colon === -1 ? value : value.slice(0, colon)).trim().toLowerCase();
      const attr = colon === -1 ? '' : value.slice(colon + 1).trim();
      if (DIRECTIONS.has(name)) {
        if (current) {
          current.direction = name as MediaDirection;
          ownDirection.add(current);
        } else {
          sessionDirection = name as MediaDirection;
        }
      } else if (!current) {
        continue;
      } else if (name === 'rtpmap') {
        const match = /^(\d{1,3})\s+([^/\s]+)\/(\d+)/.exec(attr);
        const pt = match ? Number(match[1]) : -1;
        if (match && pt <= 127) current.codecs.set(pt, codecFromRtpmap(match[2], Number(match[3])));
      } else if (name === 'ptime') {
        const ptime = Number(attr);
        if (ptime > 0 && ptime <= 1000) current.ptime = ptime;
      } else if (name === 'rtcp') {
        const port = Number(attr.split(/\s+/)[0]);
        if (Number.isInteger(port) && port > 0 && port <= 65535) current.rtcpPort = port;
      } else if (name === 'rtcp-mux') {
        current.rtcpMux = true;
      }
    }
  }

  for (const m of media) {
    if (!ownConnection.has(m) && sessionConnection) {
      m.address = sessionConnection.address;
      m.nullAddress = sessionConnection.nullAddress;
    }
    if (!ownDirection.has(m)) m.direction = sessionDirection;
  }
  return {
    ok: true,
    sdp: {
      media,
      droppedMediaLines: dropped,
    },
  };
}

/** True when this media line does not want to receive (the sender put the call on hold). */
export function isOnHold(media: SdpMedia): boolean {
  return media.nullAddress || media.direction === 'sendonly' || media.direction === 'inactive';
}

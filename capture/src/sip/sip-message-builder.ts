// Builds SIP messages and SDP bodies as bytes: test fixtures and the benchmark's synthetic
// traffic use it so both speak the same SIP the parser is checked against.

export interface SipMessageSpec {
  /** e.g. "INVITE sip:201@10.0.0.2 SIP/2.0" or "SIP/2.0 200 OK". */
  startLine: string;
  /** Header lines in order; a name may repeat. */
  headers: [string, string][];
  body?: string | Buffer;
  /** Content-Length to write instead of the body's real length (for framing tests). */
  contentLength?: number | null;
}

export function buildSipMessage(spec: SipMessageSpec): Buffer {
  const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : (spec.body ?? Buffer.alloc(0));
  const lines = [spec.startLine, ...spec.headers.map(([name, value]) => `${name}: ${value}`)];
  if (spec.contentLength !== null) lines.push(`Content-Length: ${spec.contentLength ?? body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), body]);
}

export interface SdpSpec {
  ip: string;
  /** One entry per m=audio line. */
  media: {
    port: number;
    payloadTypes: number[];
    /** Dynamic payload types: pt -> "telephone-event/8000". */
    rtpmap?: Record<number, string>;
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    /** Media-level c= address, overriding the session-level one. */
    ip?: string;
    ptime?: number;
  }[];
  sessionId?: number;
}

export function buildSdp(spec: SdpSpec): string {
  const family = (ip: string) => (ip.includes(':') ? 'IP6' : 'IP4');
  const lines = [
    'v=0',
    `o=- ${spec.sessionId ?? 1} ${spec.sessionId ?? 1} IN ${family(spec.ip)} ${spec.ip}`,
    's=-',
    `c=IN ${family(spec.ip)} ${spec.ip}`,
    't=0 0',
  ];
  for (const media of spec.media) {
    lines.push(`m=audio ${media.port} RTP/AVP ${media.payloadTypes.join(' ')}`);
    if (media.ip) lines.push(`c=IN ${family(media.ip)} ${media.ip}`);
    for (const [pt, map] of Object.entries(media.rtpmap ?? {})) lines.push(`a=rtpmap:${pt} ${map}`);
    if (media.ptime) lines.push(`a=ptime:${media.ptime}`);
    lines.push(`a=${media.direction ?? 'sendrecv'}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

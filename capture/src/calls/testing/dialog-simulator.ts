import { UdpDatagram } from '../../packet/packet-types';
import { buildRtpPacket } from '../../rtp/rtp-packet-builder';
import { buildSdp, buildSipMessage, SdpSpec } from '../../sip/sip-message-builder';

// Plays both ends of one SIP dialog as UDP datagrams, for tests and synthetic traffic: the
// messages a real UAC/UAS pair exchanges (with proper tags, CSeqs and SDP), and RTP between the
// endpoints their SDP announced.

export interface SimulatedPhone {
  number: string;
  name?: string;
  ip: string;
  sipPort?: number;
  rtpPort: number;
}

export type Party = 'caller' | 'callee';

export interface DialogOptions {
  callId: string;
  caller: SimulatedPhone;
  callee: SimulatedPhone;
  /** Audio payload types offered (default PCMA). */
  payloadTypes?: number[];
  rtpmap?: Record<number, string>;
  /** Write header names in compact form (i, f, t, v, l, c, m). */
  compact?: boolean;
  extraInviteHeaders?: [string, string][];
}

export class DialogSimulator {
  private cseq = { caller: 1, callee: 1 };
  private inviteCseq = 1;
  private readonly tags = { caller: 'from-tag-1', callee: 'to-tag-1' };
  answered = false;

  constructor(readonly options: DialogOptions) {}

  phone(party: Party): SimulatedPhone {
    return party === 'caller' ? this.options.caller : this.options.callee;
  }

  private name(full: string): string {
    if (!this.options.compact) return full;
    const compact: Record<string, string> = {
      'Call-ID': 'i',
      From: 'f',
      To: 't',
      Via: 'v',
      Contact: 'm',
      'Content-Type': 'c',
    };
    return compact[full] ?? full;
  }

  private address(party: Party, withTag: boolean): string {
    const phone = this.phone(party);
    const display = phone.name ? `"${phone.name}" ` : '';
    const tag = withTag ? `;tag=${this.tags[party]}` : '';
    return `${display}<sip:${phone.number}@${phone.ip}>${tag}`;
  }

  sdp(party: Party, overrides: Partial<SdpSpec['media'][number]> & { ip?: string } = {}): string {
    const phone = this.phone(party);
    const payloadTypes = this.options.payloadTypes ?? [8];
    return buildSdp({
      ip: overrides.ip ?? phone.ip,
      media: [{ port: phone.rtpPort, payloadTypes, rtpmap: this.options.rtpmap, ...overrides }],
    });
  }

  private datagram(ts: number, from: Party, payload: Buffer, port: 'sip' | 'rtp'): UdpDatagram {
    const src = this.phone(from);
    const dst = this.phone(from === 'caller' ? 'callee' : 'caller');
    const portOf = (phone: SimulatedPhone) => (port === 'sip' ? (phone.sipPort ?? 5060) : phone.rtpPort);
    return { ts, src: { ip: src.ip, port: portOf(src) }, dst: { ip: dst.ip, port: portOf(dst) }, payload };
  }

  /** A request from `from`; the initial INVITE has no To tag. */
  request(ts: number, from: Party, method: string, options: { sdp?: string; headers?: [string, string][] } = {}) {
    const to: Party = from === 'caller' ? 'callee' : 'caller';
    const initial = method === 'INVITE' && !this.answered && from === 'caller';
    let cseq: number;
    if (method === 'ACK' || method === 'CANCEL') cseq = this.inviteCseq;
    else cseq = this.cseq[from]++;
    if (initial) this.inviteCseq = cseq;
    const headers: [string, string][] = [
      [this.name('Via'), `SIP/2.0/UDP ${this.phone(from).ip}:5060;branch=z9hG4bK-${method}-${cseq}`],
      [this.name('From'), this.address(from, true)],
      [this.name('To'), this.address(to, !(initial || (method === 'CANCEL' && !this.answered)))],
      [this.name('Call-ID'), this.options.callId],
      ['CSeq', `${cseq} ${method}`],
      [this.name('Contact'), `<sip:${this.phone(from).number}@${this.phone(from).ip}:5060>`],
      ...(initial ? (this.options.extraInviteHeaders ?? []) : []),
      ...(options.headers ?? []),
    ];
    if (options.sdp) headers.push([this.name('Content-Type'), 'application/sdp']);
    const uri = `sip:${this.phone(to).number}@${this.phone(to).ip}`;
    const message = buildSipMessage({ startLine: `${method} ${uri} SIP/2.0`, headers, body: options.sdp });
    return this.datagram(ts, from, message, 'sip');
  }

  /** A response from the party that did not send the request being answered. */
  response(
    ts: number,
    status: number,
    reason: string,
    options: { method?: string; sdp?: string; requester?: Party; cseq?: number } = {},
  ): UdpDatagram {
    const requester = options.requester ?? 'caller';
    const responder: Party = requester === 'caller' ? 'callee' : 'caller';
    const method = options.method ?? 'INVITE';
    const cseq =
      options.cseq ?? (method === 'INVITE' && requester === 'caller' ? this.inviteCseq : this.cseq[requester] - 1);
    if (method === 'INVITE' && requester === 'caller' && status >= 200 && status < 300) this.answered = true;
    const headers: [string, string][] = [
      [this.name('Via'), `SIP/2.0/UDP ${this.phone(requester).ip}:5060;branch=z9hG4bK-${method}-${cseq}`],
      [this.name('From'), this.address(requester, true)],
      [this.name('To'), this.address(responder, status !== 100)],
      [this.name('Call-ID'), this.options.callId],
      ['CSeq', `${cseq} ${method}`],
    ];
    if (options.sdp) headers.push([this.name('Content-Type'), 'application/sdp']);
    const message = buildSipMessage({ startLine: `SIP/2.0 ${status} ${reason}`, headers, body: options.sdp });
    return this.datagram(ts, responder, message, 'sip');
  }

  invite(ts: number, sdp = this.sdp('caller')): UdpDatagram {
    return this.request(ts, 'caller', 'INVITE', { sdp });
  }

  answer(ts: number, sdp = this.sdp('callee')): UdpDatagram {
    return this.response(ts, 200, 'OK', { sdp });
  }

  rtp(
    ts: number,
    from: Party,
    packet: {
      sequence: number;
      timestamp: number;
      ssrc: number;
      payload: Uint8Array;
      payloadType?: number;
      marker?: boolean;
    },
  ): UdpDatagram {
    const bytes = buildRtpPacket({
      ...packet,
      payloadType: packet.payloadType ?? (this.options.payloadTypes ?? [8])[0],
    });
    return this.datagram(ts, from, bytes, 'rtp');
  }
}

/** 20 ms of a G.711 A-law payload whose decoded value identifies the packet (for alignment tests). */
export function markerPayload(byte: number, samples = 160): Buffer {
  return Buffer.alloc(samples, byte);
}

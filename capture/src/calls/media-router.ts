import { Endpoint, UdpDatagram } from '../packet/packet-types';
import { readRtcpReports } from '../rtp/rtcp';
import { looksLikeRtcp, RtpHeader } from '../rtp/rtp-header';
import { TelephoneEventTracker } from '../rtp/telephone-event';
import { isOnHold, SessionDescription } from '../sip/sdp';
import { CallState } from './call-state';
import { CallStream } from './call-stream';
import { ipv4ToNumber } from './ip-address';
import { Side } from './media-log';

// Ties RTP to calls. Every endpoint a party announced in SDP is a numeric key in one table, so a
// packet costs two Map lookups. A packet to a known endpoint is the other party's media even from
// an unexpected source (NAT, symmetric RTP), and that source is then learnt so traffic addressed
// to it matches too; such packets count with lower pairing confidence.

interface EndpointBinding {
  call: CallState;
  /** The party that receives at this endpoint. */
  owner: Side;
  rtcp: boolean;
  learned: boolean;
  /** Last stream that matched here (most packets of an endpoint belong to one stream). */
  lastStream: CallStream | null;
}

export interface MediaCounters {
  rtpPackets: number;
  rtpLearned: number;
  rtpMalformed: number;
  rtpAfterEnd: number;
  rtcpPackets: number;
  rtcpMalformed: number;
  dtmfMalformed: number;
}

const MAX_STREAMS_PER_CALL = 64;
const MAX_IPV6_ADDRESSES = 200_000;
// Pairing confidence of a packet: the mean of what its two endpoints tell. An endpoint from SDP
// is full evidence; a learnt one, or one we have never seen, is weak evidence.
const WEAK_EVIDENCE = 0.6;
const evidence = (binding: EndpointBinding): number => (binding.learned ? WEAK_EVIDENCE : 1);

const other = (side: Side): Side => (side === 0 ? 1 : 0);

export class MediaRouter {
  readonly counters: MediaCounters = {
    rtpPackets: 0,
    rtpLearned: 0,
    rtpMalformed: 0,
    rtpAfterEnd: 0,
    rtcpPackets: 0,
    rtcpMalformed: 0,
    dtmfMalformed: 0,
  };
  private readonly table = new Map<number, EndpointBinding>();
  private readonly ipv6Ids = new Map<string, number>();
  private readonly header = new RtpHeader();

  constructor(private readonly muteDtmf: boolean) {}

  /** Numeric key of an endpoint; -1 for an IPv6 address not seen in SDP unless `intern`. */
  private keyOf(ip: string, port: number, intern: boolean): number {
    const v4 = ipv4ToNumber(ip);
    if (v4 !== -1) return v4 * 65536 + port;
    let id = this.ipv6Ids.get(ip);
    if (id === undefined) {
      if (!intern || this.ipv6Ids.size >= MAX_IPV6_ADDRESSES) return -1;
      id = this.ipv6Ids.size;
      this.ipv6Ids.set(ip, id);
    }
    return (0x100000000 + id) * 65536 + port;
  }

  private bind(call: CallState, owner: Side, ip: string, port: number, rtcp: boolean, learned: boolean): void {
    const key = this.keyOf(ip, port, true);
    if (key === -1) return;
    const existing = this.table.get(key);
    if (existing && existing.call === call && existing.owner === owner && existing.rtcp === rtcp) {
      // The same endpoint again (a session refresh): an SDP announcement upgrades a learnt one.
      if (!learned) existing.learned = false;
      return;
    }
    // A learnt guess never overrides what a live call's SDP announced.
    if (learned && existing && !existing.learned && existing.call.phase !== 'ended') return;
    this.table.set(key, { call, owner, rtcp, learned, lastStream: null });
    call.endpointKeys.push(key);
  }

  /** Registers where `side` wants to receive each audio line, and notes hold / resume. */
  applySdp(call: CallState, side: Side, sdp: SessionDescription, ts: number): void {
    let holding = false;
    let audioLines = 0;
    for (const media of sdp.media) {
      if (media.type !== 'audio') continue;
      audioLines++;
      for (const [pt, codec] of media.codecs) call.codecs.set(pt, codec);
      if (isOnHold(media)) holding = true;
      if (media.port === 0 || !media.address) continue;
      this.bind(call, side, media.address, media.port, false, false);
      if (!media.rtcpMux) this.bind(call, side, media.address, media.rtcpPort ?? media.port + 1, true, false);
    }
    if (audioLines > 0) call.setHolding(side, holding, ts);
  }

  /** Forgets a finished call's endpoints (unless another call has taken them over since). */
  release(call: CallState): void {
    for (const key of call.endpointKeys) {
      if (this.table.get(key)?.call === call) this.table.delete(key);
    }
    call.endpointKeys.length = 0;
  }

  /** Handles the datagram if it is media of a known call; returns false otherwise. */
  route(datagram: UdpDatagram): boolean {
    const { src, dst } = datagram;
    const toKnown = this.table.get(this.keyOf(dst.ip, dst.port, false));
    const fromKnown = this.table.get(this.keyOf(src.ip, src.port, false));
    let binding: EndpointBinding;
    let sender: Side;
    let confidence: number;
    if (toKnown) {
      // Addressed to a party's endpoint: the other party sent it, whatever its source says.
      binding = toKnown;
      sender = other(toKnown.owner);
      const sourceFits = fromKnown !== undefined && fromKnown.call === toKnown.call && fromKnown.owner === sender;
      confidence = (evidence(toKnown) + (sourceFits ? evidence(fromKnown) : WEAK_EVIDENCE)) / 2;
    } else if (fromKnown) {
      // Symmetric RTP: a party sends from where it receives; the destination is new to us.
      binding = fromKnown;
      sender = fromKnown.owner;
      confidence = (evidence(fromKnown) + WEAK_EVIDENCE) / 2;
    } else {
      return false;
    }
    const call = binding.call;
    const payload = datagram.payload;
    const rtcp = binding.rtcp || looksLikeRtcp(payload);
    if (call.phase === 'ended') {
      if (!rtcp) this.counters.rtpAfterEnd++;
      return true;
    }
    const header = this.header;
    if (!rtcp && !header.read(payload)) {
      this.counters.rtpMalformed++;
      return true;
    }
    // Only now that it is media: learn the endpoint we had not seen (NAT, symmetric RTP).
    if (!toKnown) this.bind(call, other(sender), dst.ip, dst.port, binding.rtcp, true);
    else if (!fromKnown) this.bind(call, sender, src.ip, src.port, binding.rtcp, true);
    if (rtcp) {
      this.readRtcp(call, payload);
      return true;
    }
    this.counters.rtpPackets++;
    let stream = binding.lastStream;
    if (!stream || stream.ssrc !== header.ssrc || stream.sender !== sender) {
      stream = this.findStream(call, sender, header.ssrc, src, dst, confidence < 1);
      if (!stream) return true;
      binding.lastStream = stream;
    }
    if (confidence < 1) this.counters.rtpLearned++;
    this.addPacket(call, stream, payload, datagram.ts, confidence);
    return true;
  }

  private findStream(
    call: CallState,
    sender: Side,
    ssrc: number,
    src: Endpoint,
    dst: Endpoint,
    learned: boolean,
  ): CallStream | null {
    for (const stream of call.streams) if (stream.ssrc === ssrc && stream.sender === sender) return stream;
    if (call.streams.length >= MAX_STREAMS_PER_CALL) return null;
    const name = (e: Endpoint) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
    const stream = new CallStream(sender, ssrc, name(src), name(dst), learned);
    call.streams.push(stream);
    return stream;
  }

  private addPacket(call: CallState, stream: CallStream, packet: Buffer, ts: number, confidence: number): void {
    const header = this.header;
    const codec = call.codecs.get(header.payloadType);
    if (codec) stream.clockRate = codec.clockRate;
    const extended = stream.unwrap(header.timestamp);
    stream.packets++;
    stream.confidenceSum += confidence;
    stream.stats.add(header.sequence, header.timestamp, (ts * stream.clockRate) / 1e6, codec?.kind === 'audio');
    call.lastMediaUs = ts;
    if (call.mediaOriginUs === null) call.mediaOriginUs = ts;
    if (codec?.kind === 'comfortNoise') return; // silence until the next audio packet
    const relativeUs = ts - call.mediaOriginUs;
    if (stream.needsNewGeneration(extended, relativeUs)) {
      stream.generation = call.log.addGeneration({
        side: stream.sender,
        anchorUs: relativeUs,
        clockRate: stream.clockRate,
      });
      stream.anchorUs = relativeUs;
      stream.anchorRtp = extended;
    }
    const payload = packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
    if (codec?.kind === 'dtmf') {
      stream.dtmf ??= new TelephoneEventTracker(codec.clockRate);
      const before = stream.dtmf.events.length;
      if (!stream.dtmf.add(payload, extended, ts)) this.counters.dtmfMalformed++;
      if (this.muteDtmf && stream.dtmf.events.length > before) {
        const event = stream.dtmf.events[stream.dtmf.events.length - 1];
        stream.dtmfMarks.push({ event, generation: stream.generation, anchorRtp: stream.anchorRtp });
      }
      return;
    }
    if (stream.payloadType < 0) {
      stream.payloadType = header.payloadType;
      stream.codec = codec?.name ?? null;
    }
    const rtpOffset = extended - stream.anchorRtp;
    // A reordered first packet sits before the media origin: the audio then starts earlier.
    const offsetUs = stream.anchorUs + (rtpOffset * 1e6) / stream.clockRate;
    if (offsetUs < call.earliestMediaOffsetUs) call.earliestMediaOffsetUs = offsetUs;
    if (
      !call.audioTruncated &&
      !call.log.append(stream.sender, stream.generation, rtpOffset, header.payloadType, payload)
    ) {
      call.audioTruncated = true;
    }
  }

  private readRtcp(call: CallState, payload: Buffer): void {
    this.counters.rtcpPackets++;
    const ok = readRtcpReports(payload, (ssrc, fractionLost, _cumulative, jitter) => {
      const stream = call.streams.find((s) => s.ssrc === ssrc);
      call.rtcpReports++;
      call.rtcpFractionLostSum += fractionLost / 256;
      const jitterMs = (jitter / (stream?.clockRate ?? 8000)) * 1000;
      if (jitterMs > call.rtcpJitterMsMax) call.rtcpJitterMsMax = jitterMs;
    });
    if (!ok) this.counters.rtcpMalformed++;
  }
}

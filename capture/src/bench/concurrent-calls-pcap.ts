import { DialogSimulator } from '../calls/testing/dialog-simulator';
import { alawOf, CALLEE_TONE_HZ, CALLER_TONE_HZ, tonePayload } from '../cli/testing/synthetic-calls';
import { LinkType } from '../packet/capture-frame';
import type { UdpDatagram } from '../packet/packet-types';
import { ethernetFrame, ipv4Packet, IP_PROTO_UDP, PcapFileWriter, udpDatagram } from '../packet/pcap-writer';

// The benchmark's capture: N answered G.711 A-law calls up at the same time, as a mirror port of a
// busy site delivers them. Every call has its own numbers, addresses and RTP ports, a full SIP
// dialog (INVITE, 180, 200 with SDP, ACK, RTP both ways every 20 ms, BYE, 200) and RTP whose
// sequence numbers and timestamps run on per stream. The file is written as it is generated, one
// 20 ms tick at a time, so its size is bounded by the disk, not by memory.

/** 2025-06-02T01:00:00Z (10:00 in Tokyo) in µs. */
export const BENCH_T0_US = Date.UTC(2025, 5, 2, 1) * 1000;
const TICK_US = 20_000;
const SAMPLES_PER_PACKET = 160;
/** Calls are set up over the first second, not all within one packet interval. */
const RAMP_TICKS = 50;
/** Local ticks of a call: INVITE at 0, then these. RTP runs from RTP_FROM for `packetsPerSide` ticks. */
const RINGING_AT = 5;
const ANSWER_AT = 25;
const ACK_AT = 26;
const RTP_FROM = 27;
export const MAX_BENCH_CALLS = 65_535;

export interface ConcurrentCallsOptions {
  calls: number;
  /** Seconds of two-way RTP per call. */
  seconds: number;
  /**
   * A loop of audio per side (-1..1 at 8 kHz), each call starting at its own place in it. Default:
   * one second of a tone per side (caller 440 Hz, callee 1000 Hz).
   */
  audio?: [Float32Array, Float32Array];
}

export interface BenchCall {
  callId: string;
  caller: string;
  callee: string;
}

export interface ConcurrentCallsCapture {
  calls: number;
  packetsPerSide: number;
  frames: number;
  rtpPackets: number;
  sipMessages: number;
  bytes: number;
  /** First and last frame time (µs): what the capture spans in real time. */
  firstUs: number;
  lastUs: number;
}

/** Numbers, Call-IDs and addresses of call `index` (the benchmark checks its output against these). */
export function benchCall(index: number): BenchCall {
  const digits = String(index).padStart(6, '0');
  return { callId: `bench-${digits}@flexlog.test`, caller: `0901${digits}0`, callee: `03${digits}11` };
}

function dialogOf(index: number): DialogSimulator {
  const call = benchCall(index);
  const host = `${(index >> 8) & 255}.${index & 255}`;
  const port = (base: number) => base + 2 * (index % 8192);
  return new DialogSimulator({
    callId: call.callId,
    caller: { number: call.caller, ip: `10.1.${host}`, rtpPort: port(16384) },
    callee: { number: call.callee, ip: `10.2.${host}`, rtpPort: port(32768) },
    payloadTypes: [8],
  });
}

function frameOf(datagram: UdpDatagram): Buffer {
  const { src, dst, payload } = datagram;
  const udp = udpDatagram(src.port, dst.port, payload);
  const ip = ipv4Packet({ src: src.ip, dst: dst.ip, protocol: IP_PROTO_UDP, payload: udp });
  return ethernetFrame({ etherType: 0x0800, payload: ip });
}

/** Ethernet (14) + IPv4 (20) + UDP (8): where the RTP header starts in a frame. */
const RTP_AT = 42;

/** A side's audio loop as A-law payloads, whole packets. */
function alawLoop(samples: Float32Array): Buffer {
  const packets = Math.floor(samples.length / SAMPLES_PER_PACKET);
  if (packets < 1) throw new Error('audio: each side needs at least 160 samples (20 ms at 8 kHz)');
  const out = Buffer.alloc(packets * SAMPLES_PER_PACKET);
  for (let i = 0; i < out.length; i++) out[i] = alawOf(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767));
  return out;
}

function toneLoop(frequency: number): Buffer {
  return Buffer.concat(Array.from({ length: 50 }, (_, packet) => tonePayload(frequency, packet)));
}

interface LiveCall {
  dialog: DialogSimulator;
  /** Caller's and callee's RTP frames, rewritten in place for each packet. */
  rtp: [Buffer, Buffer];
  /** Where in the audio loop this call starts (packets). */
  loopOffset: number;
}

/**
 * Writes the capture to `path` and returns what it holds. Frames are in capture order: within a
 * tick, the first half-interval carries the SIP and the caller's RTP of every call (each call at
 * its own offset), the second half the callee's RTP.
 */
export function writeConcurrentCallsPcap(path: string, options: ConcurrentCallsOptions): ConcurrentCallsCapture {
  const { calls, seconds } = options;
  if (!Number.isInteger(calls) || calls < 1 || calls > MAX_BENCH_CALLS) {
    throw new Error(`calls: must be an integer from 1 to ${MAX_BENCH_CALLS} (got ${calls})`);
  }
  if (!Number.isFinite(seconds) || seconds < 0.02 || seconds > 86_400) {
    throw new Error(`seconds: must be from 0.02 to 86400 (got ${seconds})`);
  }
  const packetsPerSide = Math.round(seconds * 50);
  const loops = options.audio ? options.audio.map(alawLoop) : [toneLoop(CALLER_TONE_HZ), toneLoop(CALLEE_TONE_HZ)];
  const loopPackets = loops.map((loop) => loop.length / SAMPLES_PER_PACKET);
  const writer = new PcapFileWriter(path, { linkType: LinkType.ethernet });
  const live: (LiveCall | undefined)[] = new Array(calls);
  const startTick = (index: number) => Math.floor((index * RAMP_TICKS) / calls);
  const byeAt = RTP_FROM + packetsPerSide;
  const lastTick = startTick(calls - 1) + byeAt + 1;
  let rtpPackets = 0;
  let sipMessages = 0;
  let bytes = 24;
  let firstUs = -1;
  let lastUs = 0;
  const write = (ts: number, frame: Buffer) => {
    writer.writeFrame(ts, frame);
    bytes += 16 + frame.length;
    if (firstUs < 0) firstUs = ts;
    lastUs = ts;
  };
  const sip = (ts: number, datagram: UdpDatagram) => {
    write(ts, frameOf(datagram));
    sipMessages++;
  };
  const rtp = (ts: number, call: LiveCall, side: 0 | 1, packet: number) => {
    const frame = call.rtp[side];
    frame.writeUInt16BE(packet & 0xffff, RTP_AT + 2);
    frame.writeUInt32BE((packet * SAMPLES_PER_PACKET) >>> 0, RTP_AT + 4);
    const from = ((call.loopOffset + packet) % loopPackets[side]) * SAMPLES_PER_PACKET;
    loops[side].copy(frame, RTP_AT + 12, from, from + SAMPLES_PER_PACKET);
    write(ts, frame);
    rtpPackets++;
  };

  for (let tick = 0; tick <= lastTick; tick++) {
    const tickUs = BENCH_T0_US + tick * TICK_US;
    // First half of the tick: SIP and the callers' RTP.
    for (let index = 0; index < calls; index++) {
      const local = tick - startTick(index);
      if (local < 0 || local > byeAt + 1) continue;
      const ts = tickUs + Math.floor((index * TICK_US) / 2 / calls);
      if (local === 0) {
        const dialog = dialogOf(index);
        const template = (from: 'caller' | 'callee', ssrc: number) =>
          frameOf(dialog.rtp(ts, from, { sequence: 0, timestamp: 0, ssrc, payload: Buffer.alloc(160) }));
        live[index] = {
          dialog,
          rtp: [template('caller', 2 * index + 1), template('callee', 2 * index + 2)],
          loopOffset: (index * 7) % Math.min(...loopPackets),
        };
      }
      const call = live[index] as LiveCall;
      if (local === 0) sip(ts, call.dialog.invite(ts));
      else if (local === RINGING_AT) sip(ts, call.dialog.response(ts, 180, 'Ringing'));
      else if (local === ANSWER_AT) sip(ts, call.dialog.answer(ts));
      else if (local === ACK_AT) sip(ts, call.dialog.request(ts, 'caller', 'ACK'));
      else if (local >= RTP_FROM && local < byeAt) rtp(ts, call, 0, local - RTP_FROM);
      else if (local === byeAt) sip(ts, call.dialog.request(ts, 'caller', 'BYE'));
      else if (local === byeAt + 1) {
        sip(ts, call.dialog.response(ts, 200, 'OK', { method: 'BYE' }));
        live[index] = undefined;
      }
    }
    // Second half: the callees' RTP.
    for (let index = 0; index < calls; index++) {
      const local = tick - startTick(index);
      if (local < RTP_FROM || local >= byeAt) continue;
      const ts = tickUs + TICK_US / 2 + Math.floor((index * TICK_US) / 2 / calls);
      rtp(ts, live[index] as LiveCall, 1, local - RTP_FROM);
    }
  }
  writer.close();
  return {
    calls,
    packetsPerSide,
    frames: writer.framesWritten,
    rtpPackets,
    sipMessages,
    bytes,
    firstUs,
    lastUs,
  };
}

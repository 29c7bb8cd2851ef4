import { writeFileSync } from 'node:fs';
import { DialogSimulator } from '../../calls/testing/dialog-simulator';
import { A_LAW_TO_LINEAR } from '../../codecs/g711';
import { ethernetFrame, ipv4Packet, IP_PROTO_UDP, pcapFileBytes, udpDatagram } from '../../packet/pcap-writer';
import type { UdpDatagram } from '../../packet/packet-types';

// Capture files made here, so the offline mode and the spool are tested without the real captures:
// an answered call where each party plays its own tone (caller 440 Hz, callee 1000 Hz) and hangs
// up with a BYE, and a call that rings and is cancelled.

/** 2025-03-01T09:00:00Z in µs. */
export const SYNTHETIC_T0 = Date.UTC(2025, 2, 1, 9) * 1000;
export const CALLER_TONE_HZ = 440;
export const CALLEE_TONE_HZ = 1000;

const LINEAR_BY_CODE = [...A_LAW_TO_LINEAR].map((value, code) => ({ value, code })).sort((a, b) => a.value - b.value);

/** The A-law byte whose expansion is nearest to `sample` (the inverse of the decoder's table). */
export function alawOf(sample: number): number {
  let low = 0;
  let high = LINEAR_BY_CODE.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (LINEAR_BY_CODE[middle].value <= sample) low = middle;
    else high = middle;
  }
  const nearer =
    Math.abs(LINEAR_BY_CODE[low].value - sample) <= Math.abs(LINEAR_BY_CODE[high].value - sample) ? low : high;
  return LINEAR_BY_CODE[nearer].code;
}

/** 20 ms of a tone as an A-law payload; `packet` places it in the tone's phase. */
export function tonePayload(frequency: number, packet: number, amplitude = 8000): Buffer {
  const payload = Buffer.alloc(160);
  for (let i = 0; i < 160; i++) {
    const t = (packet * 160 + i) / 8000;
    payload[i] = alawOf(Math.round(amplitude * Math.sin(2 * Math.PI * frequency * t)));
  }
  return payload;
}

export interface AnsweredCallScript {
  dialog: DialogSimulator;
  /** Seconds after SYNTHETIC_T0. */
  inviteAt: number;
  answerAt: number;
  talkSeconds: number;
  /** No BYE: the call is still up when the packets end. */
  hangUp?: boolean;
}

export function answeredCall(callId: string, caller: string, callee: string, index = 0): DialogSimulator {
  return new DialogSimulator({
    callId,
    caller: { number: caller, name: `Caller ${caller}`, ip: `192.168.1.${10 + index}`, rtpPort: 40000 + index * 2 },
    callee: { number: callee, ip: `203.0.113.${10 + index}`, rtpPort: 50000 + index * 2 },
    payloadTypes: [8],
  });
}

const at = (seconds: number) => SYNTHETIC_T0 + Math.round(seconds * 1e6);

/** The datagrams of an answered call with two-way tones, in capture order. */
export function answeredCallDatagrams(script: AnsweredCallScript): UdpDatagram[] {
  const { dialog, inviteAt, answerAt, talkSeconds } = script;
  const out: UdpDatagram[] = [
    dialog.invite(at(inviteAt)),
    dialog.response(at(inviteAt + 0.05), 180, 'Ringing'),
    dialog.answer(at(answerAt)),
    dialog.request(at(answerAt + 0.05), 'caller', 'ACK'),
  ];
  const packets = Math.round(talkSeconds * 50);
  for (let n = 0; n < packets; n++) {
    const ts = answerAt + 0.1 + n * 0.02;
    const rtp = { sequence: n, timestamp: n * 160 };
    out.push(dialog.rtp(at(ts), 'caller', { ...rtp, ssrc: 0x1111, payload: tonePayload(CALLER_TONE_HZ, n) }));
    out.push(dialog.rtp(at(ts + 0.003), 'callee', { ...rtp, ssrc: 0x2222, payload: tonePayload(CALLEE_TONE_HZ, n) }));
  }
  if (script.hangUp !== false) out.push(dialog.request(at(answerAt + 0.2 + talkSeconds), 'callee', 'BYE'));
  return out;
}

/** A call that rings and is cancelled by the caller. */
export function cancelledCallDatagrams(dialog: DialogSimulator, inviteAt: number): UdpDatagram[] {
  return [
    dialog.invite(at(inviteAt)),
    dialog.response(at(inviteAt + 0.05), 180, 'Ringing'),
    dialog.request(at(inviteAt + 3), 'caller', 'CANCEL'),
    dialog.response(at(inviteAt + 3.05), 487, 'Request Terminated'),
  ];
}

/** Datagrams as Ethernet/IPv4/UDP frames of a classic pcap file, sorted by time. */
export function writeSyntheticPcap(path: string, datagrams: UdpDatagram[]): void {
  const frames = [...datagrams]
    .sort((a, b) => a.ts - b.ts)
    .map((d) => ({
      ts: d.ts,
      data: ethernetFrame({
        etherType: 0x0800,
        payload: ipv4Packet({
          src: d.src.ip,
          dst: d.dst.ip,
          protocol: IP_PROTO_UDP,
          payload: udpDatagram(d.src.port, d.dst.port, d.payload),
        }),
      }),
    }));
  writeFileSync(path, pcapFileBytes({ linkType: 1 }, frames));
}

import { writeFileSync } from 'node:fs';
import { alawOf } from '../../cli/testing/synthetic-calls';
import { A_LAW_TO_LINEAR } from '../../codecs/g711';
import { ethernetFrame, ipv4Packet, IP_PROTO_UDP, pcapFileBytes, udpDatagram } from '../../packet/pcap-writer';
import { buildRtpPacket } from '../../rtp/rtp-packet-builder';

// The audio each side of an end-to-end call sends: a voice-like signal (a pulse train at a drifting
// pitch through two formant resonators, in syllables with pauses), different for each voice, so a
// recording's channel can be told to hold one side and not the other by correlating waveforms. Pure
// tones would correlate with any tone of the same pitch; these do not resemble each other.

const RATE = 8000;

export interface Voice {
  /** Pitch (Hz) at the start of each syllable; it glides down by `glide` over the syllable. */
  pitch: number;
  glide: number;
  /** Mean syllable length (s). */
  syllable: number;
  seed: number;
}

export const CALLER_VOICE: Voice = { pitch: 120, glide: 0.25, syllable: 0.18, seed: 11 };
export const CALLEE_VOICE: Voice = { pitch: 230, glide: -0.15, syllable: 0.24, seed: 29 };

// F1/F2 (Hz) of the five Japanese vowels.
const VOWELS: [number, number][] = [
  [800, 1200],
  [300, 2300],
  [350, 1300],
  [500, 1900],
  [500, 900],
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A two-pole resonator at `frequency` with `bandwidth` (Hz). */
function resonator(frequency: number, bandwidth: number): (x: number) => number {
  const r = Math.exp((-Math.PI * bandwidth) / RATE);
  const b1 = 2 * r * Math.cos((2 * Math.PI * frequency) / RATE);
  const b2 = -r * r;
  let y1 = 0;
  let y2 = 0;
  return (x) => {
    const y = (1 - b1 - b2) * x + b1 * y1 + b2 * y2;
    y2 = y1;
    y1 = y;
    return y;
  };
}

/** `seconds` of the voice at 8 kHz, peak at `peak` (full scale 1). */
export function voiceSignal(voice: Voice, seconds: number, peak = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  const r = random(voice.seed);
  let i = 0;
  let phase = 0;
  while (i < out.length) {
    const length = Math.round(RATE * voice.syllable * (0.7 + 0.6 * r()));
    const [f1, f2] = VOWELS[Math.floor(r() * VOWELS.length)];
    const formants = [resonator(f1, 80), resonator(f2, 120)];
    const pitch = voice.pitch * (0.9 + 0.2 * r());
    for (let k = 0; k < length && i < out.length; k++, i++) {
      phase += (pitch * (1 - (voice.glide * k) / length)) / RATE;
      let x = 0;
      if (phase >= 1) {
        phase -= 1;
        x = 1;
      }
      for (const formant of formants) x = formant(x);
      out[i] = x * Math.sin((Math.PI * k) / length);
    }
    if (r() < 0.3) i += Math.round(RATE * (0.05 + 0.1 * r())); // a short pause
  }
  let max = 0;
  for (const x of out) max = Math.max(max, Math.abs(x));
  for (let n = 0; n < out.length; n++) out[n] = (out[n] / max) * peak;
  return out;
}

export interface SideAudio {
  /** What the side sends, as a receiver decodes it (A-law round trip), -1..1. */
  decoded: Float32Array;
  /** The G.711 A-law bytes, 160 a packet. */
  alaw: Buffer;
}

export function encodeAlaw(signal: Float32Array): SideAudio {
  const samples = Math.floor(signal.length / 160) * 160;
  const alaw = Buffer.alloc(samples);
  const decoded = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    alaw[i] = alawOf(Math.round(signal[i] * 32767));
    decoded[i] = A_LAW_TO_LINEAR[alaw[i]] / 32768;
  }
  return { decoded, alaw };
}

/**
 * The audio as an RTP stream (PCMA, 20 ms packets) in a classic Ethernet pcap, the way sipp's
 * play_pcap_audio wants it: sipp keeps the RTP and its timing and replaces addresses and ports.
 */
export function writeRtpPcap(path: string, audio: SideAudio, ssrc: number): void {
  const start = Date.UTC(2025, 2, 1, 9) * 1000;
  const frames = [];
  for (let n = 0; n * 160 < audio.alaw.length; n++) {
    const rtp = buildRtpPacket({
      payloadType: 8,
      sequence: n,
      timestamp: n * 160,
      ssrc,
      marker: n === 0,
      payload: audio.alaw.subarray(n * 160, (n + 1) * 160),
    });
    const ip = ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: IP_PROTO_UDP,
      payload: udpDatagram(20000, 30000, rtp),
    });
    frames.push({ ts: start + n * 20_000, data: ethernetFrame({ etherType: 0x0800, payload: ip }) });
  }
  writeFileSync(path, pcapFileBytes({ linkType: 1 }, frames));
}

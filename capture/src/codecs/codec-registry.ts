import { A_LAW_TO_LINEAR, decodeG711, MU_LAW_TO_LINEAR } from './g711';
import { G722Decoder } from './g722';

/** What an RTP payload type carries, from the static table (RFC 3551) or an SDP rtpmap. */
export interface CodecInfo {
  /** Upper-case encoding name as in SDP (PCMU, PCMA, G722, G729, OPUS, CN, TELEPHONE-EVENT, …). */
  name: string;
  /** RTP timestamp clock (8000 for G.722 although it samples at 16 kHz, RFC 3551 §4.5.2). */
  clockRate: number;
  kind: 'audio' | 'comfortNoise' | 'dtmf';
}

export const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, CodecInfo> = new Map([
  [0, { name: 'PCMU', clockRate: 8000, kind: 'audio' }],
  [3, { name: 'GSM', clockRate: 8000, kind: 'audio' }],
  [4, { name: 'G723', clockRate: 8000, kind: 'audio' }],
  [8, { name: 'PCMA', clockRate: 8000, kind: 'audio' }],
  [9, { name: 'G722', clockRate: 8000, kind: 'audio' }],
  [13, { name: 'CN', clockRate: 8000, kind: 'comfortNoise' }],
  [18, { name: 'G729', clockRate: 8000, kind: 'audio' }],
]);

/** Builds the CodecInfo for an rtpmap encoding name such as `telephone-event/8000`. */
export function codecFromRtpmap(encoding: string, clockRate: number): CodecInfo {
  const name = encoding.toUpperCase();
  const kind = name === 'TELEPHONE-EVENT' ? 'dtmf' : name === 'CN' ? 'comfortNoise' : 'audio';
  return { name, clockRate, kind };
}

/** Turns one RTP payload into linear PCM; stateful codecs keep one instance per stream. */
export interface PayloadDecoder {
  /** Output sample rate of the PCM. */
  readonly sampleRate: number;
  /** PCM samples a payload of `bytes` bytes decodes to. */
  samplesIn(bytes: number): number;
  decode(payload: Uint8Array, output: Int16Array, offset: number): number;
}

class G711Decoder implements PayloadDecoder {
  readonly sampleRate = 8000;
  constructor(private readonly table: Readonly<Int16Array>) {}
  samplesIn(bytes: number): number {
    return bytes;
  }
  decode(payload: Uint8Array, output: Int16Array, offset: number): number {
    return decodeG711(this.table, payload, output, offset);
  }
}

class G722PayloadDecoder implements PayloadDecoder {
  readonly sampleRate = 16000;
  private readonly decoder = new G722Decoder();
  samplesIn(bytes: number): number {
    return bytes * 2;
  }
  decode(payload: Uint8Array, output: Int16Array, offset: number): number {
    return this.decoder.decode(payload, output, offset);
  }
}

/** The PCM rate a codec decodes to, or null when this build cannot decode it. */
export function decodedSampleRate(codecName: string): number | null {
  switch (codecName) {
    case 'PCMU':
    case 'PCMA':
      return 8000;
    case 'G722':
      return 16000;
    default:
      return null;
  }
}

/**
 * A fresh decoder, or null for codecs kept as raw payload: G.729 (no decoder is available from
 * npm here), Opus (passed through for the encoder to mux) and anything unknown.
 */
export function createPayloadDecoder(codecName: string): PayloadDecoder | null {
  switch (codecName) {
    case 'PCMU':
      return new G711Decoder(MU_LAW_TO_LINEAR);
    case 'PCMA':
      return new G711Decoder(A_LAW_TO_LINEAR);
    case 'G722':
      return new G722PayloadDecoder();
    default:
      return null;
  }
}

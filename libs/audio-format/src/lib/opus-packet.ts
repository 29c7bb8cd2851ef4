import { CorruptAudioError, UnsupportedAudioError } from './audio-errors';

// Opus packet structure (RFC 6716 §3), its self-delimiting variant (Appendix B) used inside
// multistream packets, and the Ogg Opus header packets (RFC 7845 §5).

export interface OpusHead {
  channels: number;
  /** Samples at 48 kHz to drop from the start of the decoded audio. */
  preSkip: number;
  /** The source's rate, informational. */
  inputSampleRate: number;
  /** Q7.8 dB. */
  outputGain: number;
  mappingFamily: number;
  streamCount: number;
  coupledCount: number;
  /** Output channel -> decoded channel (255 = silence). */
  mapping: number[];
}

export function encodeOpusHead(head: OpusHead): Buffer {
  const family0 = head.mappingFamily === 0;
  const out = Buffer.alloc(19 + (family0 ? 0 : 2 + head.channels));
  out.write('OpusHead', 0, 'latin1');
  out[8] = 1;
  out[9] = head.channels;
  out.writeUInt16LE(head.preSkip, 10);
  out.writeUInt32LE(head.inputSampleRate, 12);
  out.writeInt16LE(head.outputGain, 16);
  out[18] = head.mappingFamily;
  if (!family0) {
    out[19] = head.streamCount;
    out[20] = head.coupledCount;
    out.set(head.mapping, 21);
  }
  return out;
}

export function parseOpusHead(packet: Buffer): OpusHead {
  if (packet.length < 19 || packet.toString('latin1', 0, 8) !== 'OpusHead')
    throw new CorruptAudioError('Ogg Opus stream without OpusHead');
  if (packet[8] >> 4 !== 0)
    throw new UnsupportedAudioError(`Ogg Opus version ${packet[8]} is not supported`, 'ogg/opus');
  const channels = packet[9];
  const mappingFamily = packet[18];
  const head: OpusHead = {
    channels,
    preSkip: packet.readUInt16LE(10),
    inputSampleRate: packet.readUInt32LE(12),
    outputGain: packet.readInt16LE(16),
    mappingFamily,
    streamCount: 1,
    coupledCount: channels - 1,
    mapping: channels === 2 ? [0, 1] : [0],
  };
  if (mappingFamily === 0) {
    if (channels < 1 || channels > 2) throw new CorruptAudioError(`OpusHead: family 0 with ${channels} channels`);
    return head;
  }
  if (packet.length < 21 + channels) throw new CorruptAudioError('OpusHead: truncated channel mapping');
  head.streamCount = packet[19];
  head.coupledCount = packet[20];
  head.mapping = [...packet.subarray(21, 21 + channels)];
  const decoded = head.streamCount + head.coupledCount;
  if (
    head.streamCount < 1 ||
    head.coupledCount > head.streamCount ||
    head.mapping.some((m) => m !== 255 && m >= decoded)
  ) {
    throw new CorruptAudioError('OpusHead: inconsistent channel mapping');
  }
  return head;
}

export function encodeOpusTags(vendor: string, comments: string[] = []): Buffer {
  const parts = [
    Buffer.from('OpusTags', 'latin1'),
    lengthPrefixed(vendor),
    u32(comments.length),
    ...comments.map(lengthPrefixed),
  ];
  return Buffer.concat(parts);
}

/** The layout of one Opus packet: where its frames lie. */
export interface OpusPacketLayout {
  /** TOC byte's frame-count code (0-3). */
  code: number;
  /** Offset of the first frame's data (after TOC, counts, lengths). */
  dataOffset: number;
  frameLengths: number[];
  padding: number;
  /** Bytes the packet occupies (with self-delimiting framing: including the extra length). */
  totalLength: number;
}

/**
 * Parses a packet (RFC 6716 §3.2). With selfDelimited, the packet carries one extra length
 * (Appendix B) and may be followed by other data: totalLength says where it ends.
 */
export function parseOpusPacket(data: Uint8Array, selfDelimited = false): OpusPacketLayout {
  if (data.length < 1) throw new CorruptAudioError('empty Opus packet');
  const code = data[0] & 3;
  let pos = 1;
  let padding = 0;
  let count = code === 0 ? 1 : 2;
  let vbr = code === 2;
  if (code === 3) {
    if (data.length < 2) throw new CorruptAudioError('Opus code 3 packet without frame count');
    const countByte = data[pos++];
    vbr = (countByte & 0x80) !== 0;
    count = countByte & 0x3f;
    if (count === 0) throw new CorruptAudioError('Opus packet with 0 frames');
    if (countByte & 0x40) {
      for (let more = true; more;) {
        if (pos >= data.length) throw new CorruptAudioError('truncated Opus padding length');
        const b = data[pos++];
        padding += b === 255 ? 254 : b;
        more = b === 255;
      }
    }
  }
  const frameLengths: number[] = [];
  const explicit = vbr ? count - 1 : 0;
  for (let i = 0; i < explicit; i++) {
    const [len, size] = readLength(data, pos);
    frameLengths.push(len);
    pos += size;
  }
  if (selfDelimited) {
    const [len, size] = readLength(data, pos);
    pos += size;
    if (vbr) frameLengths.push(len);
    else for (let i = 0; i < count; i++) frameLengths.push(len);
  } else {
    const rest = data.length - pos - padding - frameLengths.reduce((s, l) => s + l, 0);
    if (rest < 0) throw new CorruptAudioError('Opus packet shorter than its frame lengths');
    if (vbr) frameLengths.push(rest);
    else {
      if (rest % count !== 0) throw new CorruptAudioError('Opus CBR packet not divisible into its frames');
      for (let i = 0; i < count; i++) frameLengths.push(rest / count);
    }
  }
  const totalLength = pos + frameLengths.reduce((s, l) => s + l, 0) + padding;
  if (totalLength > data.length) throw new CorruptAudioError('truncated Opus packet');
  return { code, dataOffset: pos, frameLengths, padding, totalLength };
}

/** The packet re-framed self-delimiting: one extra length inserted before the frame data. */
export function toSelfDelimited(packet: Uint8Array): Buffer {
  const layout = parseOpusPacket(packet);
  // Code 1 and CBR code 3 repeat one size; otherwise the extra length is the last frame's.
  const extra = encodeLength(layout.frameLengths[layout.frameLengths.length - 1]);
  return Buffer.concat([packet.subarray(0, layout.dataOffset), extra, packet.subarray(layout.dataOffset)]);
}

/** A multistream packet: all streams but the last self-delimited, then the last as is. */
export function joinMultistream(packets: Uint8Array[]): Buffer {
  const parts = packets.map((p, i) =>
    i < packets.length - 1 ? toSelfDelimited(p) : Buffer.from(p.buffer, p.byteOffset, p.byteLength),
  );
  return Buffer.concat(parts);
}

/** Splits a multistream packet into its streams' ordinary packets. */
export function splitMultistream(data: Buffer, streams: number): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (let s = 0; s < streams - 1; s++) {
    const rest = data.subarray(offset);
    const layout = parseOpusPacket(rest, true);
    const lengthBytes = lengthSize(layout.frameLengths[layout.frameLengths.length - 1]);
    const start = layout.dataOffset - lengthBytes;
    out.push(Buffer.concat([rest.subarray(0, start), rest.subarray(layout.dataOffset, layout.totalLength)]));
    offset += layout.totalLength;
  }
  out.push(data.subarray(offset));
  return out;
}

/** Samples at 48 kHz that a packet decodes to (RFC 6716 §3.1 TOC config). */
export function opusPacketSamples48k(packet: Uint8Array): number {
  if (packet.length === 0) return 0;
  const config = packet[0] >> 3;
  const frame =
    config < 12
      ? [480, 960, 1920, 2880][config & 3]
      : config < 16
        ? [480, 960][config & 1]
        : [120, 240, 480, 960][config & 3];
  const code = packet[0] & 3;
  const count = code === 0 ? 1 : code < 3 ? 2 : packet.length > 1 ? packet[1] & 0x3f : 0;
  return frame * count;
}

function readLength(data: Uint8Array, pos: number): [number, number] {
  if (pos >= data.length) throw new CorruptAudioError('truncated Opus frame length');
  const first = data[pos];
  if (first < 252) return [first, 1];
  if (pos + 1 >= data.length) throw new CorruptAudioError('truncated Opus frame length');
  return [first + 4 * data[pos + 1], 2];
}

function encodeLength(len: number): Buffer {
  if (len < 252) return Buffer.of(len);
  const first = 252 + (len & 3);
  return Buffer.of(first, (len - first) >> 2);
}

function lengthSize(len: number): number {
  return len < 252 ? 1 : 2;
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

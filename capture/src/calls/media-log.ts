// Where a call's RTP payloads go while the call is up. The packet path only appends (a copy of
// the payload plus where it belongs on the call's timeline); decoding and alignment happen when
// the call ends (call-audio.ts). The in-memory log below is the default; the spool provides one
// backed by files through the same interface.

export type Side = 0 | 1; // 0 = caller (left channel), 1 = callee (right channel)

/** A stretch of one side's timeline where RTP timestamps map linearly onto capture time. */
export interface MediaGeneration {
  side: Side;
  /** Capture time of the generation's anchor, µs after the call's media origin. */
  anchorUs: number;
  /** RTP clock of the stream (8000 for G.711 and G.722, 48000 for Opus). */
  clockRate: number;
}

export interface MediaRecord {
  generation: number;
  /** RTP timestamp units after the generation's anchor (negative for packets reordered before it). */
  rtpOffset: number;
  payloadType: number;
  payload: Buffer;
}

export interface CallMediaLog {
  addGeneration(generation: MediaGeneration): number;
  readonly generations: readonly MediaGeneration[];
  /** Returns false when the log is full (the caller marks the audio truncated). */
  append(side: Side, generation: number, rtpOffset: number, payloadType: number, payload: Uint8Array): boolean;
  /** Records of one side in append order. */
  records(side: Side): Iterable<MediaRecord>;
  readonly bytes: number;
  release(): void;
}

export type MediaLogFactory = (callId: string) => CallMediaLog;

const BLOCK_BYTES = 64 * 1024;
// generation u32, rtpOffset f64, payload type u8, payload length u16
const RECORD_HEADER_BYTES = 15;

/** Appends records into 64 KiB blocks, so memory grows with the audio, not with packet count. */
export class InMemoryMediaLog implements CallMediaLog {
  readonly generations: MediaGeneration[] = [];
  private readonly blocks: [Buffer[], Buffer[]] = [[], []];
  private readonly used: [number, number] = [0, 0];
  private total = 0;

  constructor(private readonly maxBytes = 512 * 1024 * 1024) {}

  get bytes(): number {
    return this.total;
  }

  addGeneration(generation: MediaGeneration): number {
    this.generations.push(generation);
    return this.generations.length - 1;
  }

  append(side: Side, generation: number, rtpOffset: number, payloadType: number, payload: Uint8Array): boolean {
    const size = RECORD_HEADER_BYTES + payload.length;
    if (size > BLOCK_BYTES || this.total + size > this.maxBytes) return false;
    const blocks = this.blocks[side];
    let block = blocks[blocks.length - 1];
    if (!block || this.used[side] + size > BLOCK_BYTES) {
      if (block) this.mark(block, this.used[side]);
      block = Buffer.allocUnsafe(BLOCK_BYTES);
      blocks.push(block);
      this.used[side] = 0;
    }
    let at = this.used[side];
    block.writeUInt32LE(generation, at);
    block.writeDoubleLE(rtpOffset, at + 4);
    block[at + 12] = payloadType;
    block.writeUInt16LE(payload.length, at + 13);
    at += RECORD_HEADER_BYTES;
    block.set(payload, at);
    this.used[side] = at + payload.length;
    this.total += size;
    return true;
  }

  /** Marks where a block's records end (a generation number no record can have). */
  private mark(block: Buffer, used: number): void {
    if (used + 4 <= BLOCK_BYTES) block.writeUInt32LE(0xffffffff, used);
  }

  *records(side: Side): Iterable<MediaRecord> {
    const blocks = this.blocks[side];
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b];
      const end = b === blocks.length - 1 ? this.used[side] : BLOCK_BYTES;
      let at = 0;
      while (at + RECORD_HEADER_BYTES <= end) {
        const generation = block.readUInt32LE(at);
        if (generation === 0xffffffff) break;
        const length = block.readUInt16LE(at + 13);
        yield {
          generation,
          rtpOffset: block.readDoubleLE(at + 4),
          payloadType: block[at + 12],
          payload: block.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length),
        };
        at += RECORD_HEADER_BYTES + length;
      }
    }
  }

  release(): void {
    this.blocks[0] = [];
    this.blocks[1] = [];
    this.used[0] = 0;
    this.used[1] = 0;
    this.total = 0;
  }
}

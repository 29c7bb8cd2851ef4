import { Readable } from 'node:stream';
import {
  ByteReader,
  CorruptAudioError,
  encodePage,
  encoderRateFor,
  OggPage,
  openOggOpus,
  OpusHead,
  opusPacketSamples48k,
  parseOpusHead,
  parseOpusPacket,
  PeaksAccumulator,
  readPage,
  splitMultistream,
  StorageOpusOptions,
  StorageOpusResult,
} from '@appliance/audio-format';

/**
 * Ogg Opus that is already in the storage format (what this server and the capture box write) is
 * stored as uploaded: its pages are checked and copied, and only decoded (never re-encoded) for the
 * waveform and duration. Decoding runs at the rate the transcoder would decode it at, so duration,
 * channels and peaks are exactly what a full transcode of the same upload reports.
 *
 * The decision is made on the first PASSTHROUGH_LOOKAHEAD bytes: a stream that ends within them
 * (a one-minute call is ~90 KB) is checked whole first, so any doubt falls back to transcoding.
 * A longer stream is decided on its head and checked as it is copied; a fault found later is refused
 * (CorruptAudioError), as the transcoder refuses CRC errors, since pages already went out.
 */
export const PASSTHROUGH_LOOKAHEAD = 1 << 20;

/** Storage pages hold ~1 s of audio; above 32 kbit/s per channel (the encoder's maximum) is not ours. */
const MAX_BYTES_PER_CHANNEL_SECOND = (32_000 / 8) * 1.5;

/** Only the transcoder's default encoding can be passed through: explicit encoder settings are obeyed. */
export function passthroughPossible(options: StorageOpusOptions): boolean {
  return (
    options.bitrateKbpsPerChannel === undefined && options.frameMs === undefined && options.complexity === undefined
  );
}

/**
 * Checks pages one by one against the storage format. check() returns why a page is not in it
 * (null when it is); the stream is complete when `ended`.
 */
export class StoragePageValidator {
  head?: OpusHead;
  ended = false;
  private serial = 0;
  private sequence = 0;
  private granule = 0;

  constructor(private readonly channels?: number) {}

  check(page: OggPage): string | null {
    if (this.ended) return 'data after the end-of-stream page';
    if (this.sequence === 0) return this.checkHead(page);
    if (page.serial !== this.serial) return 'more than one logical stream';
    if (page.sequence !== this.sequence) return `page ${this.sequence} missing (found ${page.sequence})`;
    if (page.flags & 0x03) return `page ${page.sequence} continues a packet or begins a stream`;
    this.sequence++;
    const packets = packetsOf(page);
    if (packets === null) return `page ${page.sequence} has a packet spanning pages`;
    if (page.sequence === 1) {
      if (packets.length !== 1 || packets[0].toString('latin1', 0, 8) !== 'OpusTags' || page.granule !== 0)
        return 'OpusTags is not alone on the second page';
      return null;
    }
    const fault = this.checkAudio(page, packets);
    if (fault) return fault;
    if (page.flags & 0x04) this.ended = true;
    return null;
  }

  private checkHead(page: OggPage): string | null {
    if (page.flags !== 0x02 || page.granule !== 0) return 'first page is not a lone beginning-of-stream page';
    const packets = packetsOf(page);
    if (packets?.length !== 1) return 'OpusHead is not alone on the first page';
    let head: OpusHead;
    try {
      head = parseOpusHead(packets[0]);
    } catch (error) {
      return (error as Error).message;
    }
    const mono = head.channels === 1 && head.mappingFamily === 0;
    const twoParty =
      head.channels === 2 &&
      head.mappingFamily === 1 &&
      head.streamCount === 2 &&
      head.coupledCount === 0 &&
      head.mapping.join() === '0,1';
    if (!(mono || twoParty)) return 'not one mono stream or two uncoupled mono streams';
    if (packets[0][8] !== 1 || head.outputGain !== 0) return 'OpusHead version or output gain differs';
    if (this.channels !== undefined && this.channels !== head.channels) return 'another channel count was asked for';
    this.head = head;
    this.serial = page.serial;
    this.sequence = 1;
    return null;
  }

  private checkAudio(page: OggPage, packets: Buffer[]): string | null {
    const head = this.head as OpusHead;
    let samples48 = 0;
    for (const packet of packets) {
      try {
        const streams = head.streamCount === 1 ? [packet] : splitMultistream(packet, head.streamCount);
        const durations = streams.map((s) => frameSamples48k(s));
        if (durations.some((d) => d !== durations[0] || d === 0)) return 'streams of a packet differ in duration';
        samples48 += durations[0];
      } catch (error) {
        return `page ${page.sequence}: ${(error as Error).message}`;
      }
    }
    if (packets.length > 0) {
      if (page.granule < this.granule) return `granule position goes back on page ${page.sequence}`;
      const seconds = samples48 / 48000;
      if (page.body.length > MAX_BYTES_PER_CHANNEL_SECOND * head.channels * Math.max(seconds, 0.2))
        return `page ${page.sequence} is above the storage bitrate`;
      this.granule = page.granule;
    } else if (page.granule !== -1 && !(page.flags & 0x04)) return `page ${page.sequence} has a granule but no packet`;
    return null;
  }
}

/** Samples at 48 kHz of a packet whose frames all parse; 0 when above Opus's 120 ms limit. */
function frameSamples48k(packet: Uint8Array): number {
  parseOpusPacket(packet);
  const total = opusPacketSamples48k(packet);
  return total > 5760 ? 0 : total;
}

/** The packets of a page, or null when its last packet goes on past it. */
function packetsOf(page: OggPage): Buffer[] | null {
  const out: Buffer[] = [];
  let start = 0;
  let offset = 0;
  for (const lacing of page.segments) {
    offset += lacing;
    if (lacing < 255) {
      out.push(page.body.subarray(start, offset));
      start = offset;
    }
  }
  return start < offset ? null : out;
}

/**
 * Whether the head of the upload (bytes the reader has not consumed) is storage-format Ogg Opus:
 * null when it may be passed through, else why not.
 */
export async function passthroughDoubt(reader: ByteReader, channels?: number): Promise<string | null> {
  // Anything else (WAV, MP3) is told by its first bytes, before the look-ahead holds up its transcode.
  if ((await reader.peek(4)).toString('latin1') !== 'OggS') return 'not Ogg';
  const head = await reader.peek(PASSTHROUGH_LOOKAHEAD);
  const pages = new ByteReader(Readable.from([head]));
  const validator = new StoragePageValidator(channels);
  let audioPages = 0;
  try {
    for (let page = await readPage(pages); page; page = await readPage(pages)) {
      const fault = validator.check(page);
      if (fault) return fault;
      if (page.sequence >= 2) audioPages++;
      if (validator.ended) return (await pages.read(1)).length ? 'data after the end-of-stream page' : null;
    }
  } catch (error) {
    // A page cut by the end of the look-ahead is not a fault; one inside it is.
    if (head.length < PASSTHROUGH_LOOKAHEAD || !(error instanceof CorruptAudioError && /truncated/.test(error.message)))
      return (error as Error).message;
  }
  if (head.length < PASSTHROUGH_LOOKAHEAD) return 'stream ends without an end-of-stream page';
  return audioPages > 0 ? null : 'no audio page in the head';
}

/**
 * Copies the validated pages to the output and decodes them for the summary. The reader must be at
 * the start of a stream that passthroughDoubt accepted.
 */
export async function* passThrough(
  reader: ByteReader,
  channels: number | undefined,
  summary: Partial<StorageOpusResult>,
): AsyncGenerator<Buffer> {
  const validator = new StoragePageValidator(channels);
  const copied: Buffer[] = [];
  let bytes = 0;
  async function* checkedPages(): AsyncGenerator<Buffer> {
    for (let page = await readPage(reader); page; page = await readPage(reader)) {
      const fault = validator.check(page);
      if (fault) throw new CorruptAudioError(`Ogg Opus: ${fault}`);
      const raw = rawPage(page);
      copied.push(raw);
      yield raw;
      if (validator.ended) break;
    }
    if (!validator.ended) throw new CorruptAudioError('Ogg Opus stream ends without an end-of-stream page');
    await reader.drain(); // as the transcoder does: bytes after the stream are ignored
  }
  // The same decoder set-up as the transcoder's (pcm-source.ts), so the PCM and its summary match.
  const decodedPages = new ByteReader(checkedPages());
  const pcm = await openOggOpus(decodedPages, (head) => encoderRateFor(head.inputSampleRate || 48000));
  const peaks = new PeaksAccumulator(pcm.sampleRate, pcm.channels);
  let samples = 0;
  const flush = function* (): Generator<Buffer> {
    if (!copied.length) return;
    const out = Buffer.concat(copied.splice(0));
    bytes += out.length;
    yield out;
  };
  for await (const chunk of pcm.chunks) {
    peaks.push(chunk);
    samples += chunk[0].length;
    yield* flush();
  }
  await decodedPages.drain();
  yield* flush();
  Object.assign(summary, {
    durationMs: Math.round((samples * 1000) / pcm.sampleRate),
    channels: pcm.channels,
    peakIntervalMs: peaks.intervalMs,
    peaks: peaks.finish(),
    bytes,
  });
}

/** The page as it was read: readPage checked its CRC, so serialising its fields again gives the same bytes. */
function rawPage(page: OggPage): Buffer {
  return encodePage({ ...page, segments: [...page.segments] });
}

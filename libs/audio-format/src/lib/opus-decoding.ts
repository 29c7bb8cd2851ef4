import { ByteReader } from './byte-reader';
import { createDecoder } from './libopus';
import { readOggPackets } from './ogg';
import { OpusHead, opusPacketSamples48k, parseOpusHead, splitMultistream } from './opus-packet';
import { CorruptAudioError, UnsupportedAudioError } from './audio-errors';
import { Planar, PcmStream } from './wav';

export type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;
export const OPUS_RATES: OpusRate[] = [8000, 12000, 16000, 24000, 48000];

/** The smallest rate Opus codes natively that keeps everything below the given rate. */
export function opusRateAtLeast(rate: number): OpusRate {
  return OPUS_RATES.find((r) => r >= rate) ?? 48000;
}

/**
 * Decodes an Ogg Opus stream with libopus (@evan/opus) at `rate`: any mapping family whose output
 * has 1 or 2 channels; multistream packets are split (RFC 6716 App. B) and each stream decoded by
 * its own decoder. Pre-skip, end trimming (last granule) and output gain are applied.
 */
export async function openOggOpus(reader: ByteReader, rate: (head: OpusHead) => OpusRate): Promise<PcmStream> {
  const packets = readOggPackets(reader);
  const first = await packets.next();
  if (first.done) throw new CorruptAudioError('empty Ogg stream');
  const head = parseOpusHead(first.value.data);
  if (head.channels > 2)
    throw new UnsupportedAudioError(`Ogg Opus with ${head.channels} channels is not supported (1 or 2)`, 'ogg/opus');
  const tags = await packets.next();
  if (tags.done || tags.value.data.toString('latin1', 0, 8) !== 'OpusTags')
    throw new CorruptAudioError('Ogg Opus stream without OpusTags');
  const sampleRate = rate(head);
  return {
    container: 'ogg',
    codec: 'opus',
    sampleRate,
    channels: head.channels,
    chunks: decodePackets(packets, head, sampleRate, reader),
  };
}

async function* decodePackets(
  packets: AsyncGenerator<{ data: Buffer; granule: number }>,
  head: OpusHead,
  rate: OpusRate,
  reader: ByteReader,
): AsyncGenerator<Planar> {
  const decoders = Array.from({ length: head.streamCount }, (_, s) =>
    createDecoder(s < head.coupledCount ? 2 : 1, rate),
  );
  const per48 = rate / 48000;
  const gain = head.outputGain === 0 ? 1 : Math.pow(10, head.outputGain / (20 * 256));
  let toSkip = Math.round(head.preSkip * per48);
  let position48 = 0; // granule of the end of the packets decoded so far
  let emitted = 0; // output samples (after pre-skip) so far
  for await (const packet of packets) {
    const streams = head.streamCount === 1 ? [packet.data] : splitMultistream(packet.data, head.streamCount);
    const decoded = streams.map((data, s) => decoders[s].decode(data));
    position48 += opusPacketSamples48k(streams[0]);
    const frames = decoded[0].length / 2 / decoders[0].channels;
    const from = Math.min(toSkip, frames);
    toSkip -= from;
    let keep = frames;
    // End trimming: the last page's granule may end before the last packet's samples do.
    if (packet.granule >= 0 && packet.granule < position48) {
      const limit = Math.max(0, Math.round((packet.granule - head.preSkip) * per48));
      keep = Math.max(from, Math.min(frames, from + limit - emitted));
    }
    if (keep <= from) continue;
    const out = Array.from({ length: head.channels }, () => new Float32Array(keep - from));
    for (let c = 0; c < head.channels; c++) {
      const source = locate(head, head.mapping[c]);
      if (!source) continue;
      const pcm = decoded[source.stream];
      const view = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
      const stride = decoders[source.stream].channels;
      const channel = out[c];
      for (let i = from; i < keep; i++) channel[i - from] = (view[i * stride + source.channel] / 32768) * gain;
    }
    emitted += keep - from;
    yield out;
  }
  await reader.drain();
}

/** Which stream and which of its channels a mapping entry points at (RFC 7845 §5.1.1). */
function locate(head: OpusHead, index: number): { stream: number; channel: number } | null {
  if (index === 255) return null;
  if (index < 2 * head.coupledCount) return { stream: index >> 1, channel: index & 1 };
  const stream = index - head.coupledCount;
  if (stream >= head.streamCount)
    throw new CorruptAudioError(`OpusHead maps to stream ${stream} of ${head.streamCount}`);
  return { stream, channel: 0 };
}

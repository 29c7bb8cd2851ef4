import type { MPEGDecodedAudio, MPEGDecoder } from 'mpg123-decoder';
import { PROBE_BYTES, probeAudio } from './audio-probe';
import { ByteReader, openOggOpus, encoderRateFor, openWav, Planar, PcmStream } from '@appliance/audio-format';
import { CorruptAudioError, UnsupportedAudioError } from './transcoder';

/**
 * Opens any accepted input (WAV PCM/G.711, MP3, Ogg Opus) as a PCM stream, reading its header
 * bytes first. Ogg Opus decodes straight at the storage encoder's rate, so it needs no resampling.
 */
export async function openPcm(reader: ByteReader): Promise<PcmStream> {
  const format = probeAudio(await reader.peek(PROBE_BYTES));
  if (format instanceof UnsupportedAudioError) throw format;
  switch (format.container) {
    case 'wav':
      return openWav(reader);
    case 'ogg':
      return openOggOpus(reader, (head) => encoderRateFor(head.inputSampleRate || 48000));
    case 'mp3':
      return openMp3(reader);
    default:
      throw new UnsupportedAudioError(`container ${format.container} is not supported`, format.container);
  }
}

/** MPEG audio layer I-III through mpg123 (wasm); gapless when the file has a Xing/LAME tag. */
async function openMp3(reader: ByteReader): Promise<PcmStream> {
  // mpg123-decoder is an ES module: loaded lazily (require(esm) on Node >= 20.19).
  const { MPEGDecoder: Decoder } = await import('mpg123-decoder');
  const decoder: MPEGDecoder = new Decoder();
  await decoder.ready;
  const chunks = reader.chunks();
  let first: MPEGDecodedAudio | undefined;
  for await (const chunk of chunks) {
    const out = decoder.decode(chunk);
    if (out.samplesDecoded > 0) {
      first = out;
      break;
    }
  }
  if (!first) {
    decoder.free();
    throw new CorruptAudioError('no MPEG audio frame could be decoded');
  }
  const start = first;
  async function* samples(): AsyncGenerator<Planar> {
    try {
      yield slice(start);
      for await (const chunk of chunks) {
        const out = decoder.decode(chunk);
        if (out.samplesDecoded > 0) yield slice(out);
      }
    } finally {
      decoder.free();
    }
  }
  const channels = Math.min(2, start.channelData.length);
  return { container: 'mp3', codec: 'mp3', sampleRate: start.sampleRate, channels, chunks: samples() };
}

/** Copies out of the decoder's wasm memory (the next decode call reuses it). */
function slice(out: MPEGDecodedAudio): Planar {
  return out.channelData.slice(0, 2).map((c) => c.slice(0, out.samplesDecoded));
}

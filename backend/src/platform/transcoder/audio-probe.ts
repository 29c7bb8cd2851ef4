import { parseOpusHead, assertSupportedWav, parseFmt } from '@appliance/audio-format';
import { AudioFormat, UnsupportedAudioError } from './transcoder';

/** Bytes of head that probe() needs at most (an ID3v2 tag with cover art may push MP3 frames further). */
export const PROBE_BYTES = 8192;

/** Identifies the container and codec from the first bytes; names what it is when we refuse it. */
export function probeAudio(head: Buffer): AudioFormat | UnsupportedAudioError {
  try {
    return identify(head);
  } catch (error) {
    if (error instanceof UnsupportedAudioError) return error;
    return new UnsupportedAudioError(`unreadable audio header: ${(error as Error).message}`, 'unknown');
  }
}

function identify(head: Buffer): AudioFormat {
  const magic = head.toString('latin1', 0, 4);
  if (magic === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return probeWav(head);
  if (magic === 'RIFX' || magic === 'RF64')
    throw new UnsupportedAudioError(
      `${magic} WAV is not supported (little-endian RIFF only)`,
      `wav/${magic.toLowerCase()}`,
    );
  if (magic === 'OggS') return probeOgg(head);
  if (magic === 'fLaC') throw new UnsupportedAudioError('FLAC is not supported', 'flac');
  if (head.toString('latin1', 0, 5) === '#!AMR') throw new UnsupportedAudioError('AMR is not supported', 'amr');
  if (head.toString('latin1', 4, 8) === 'ftyp')
    throw new UnsupportedAudioError('MP4/M4A (AAC) is not supported', 'mp4');
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3)
    throw new UnsupportedAudioError('Matroska/WebM is not supported', 'matroska');
  if (head.toString('latin1', 0, 3) === 'ID3')
    return probeMpeg(head, 10 + syncsafe(head, 6) + (head[5] & 0x10 ? 10 : 0));
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return probeMpeg(head, 0);
  const shown = head.subarray(0, 8).toString('hex');
  throw new UnsupportedAudioError(`unrecognised audio format (first bytes ${shown || 'none'})`, 'unknown');
}

function probeWav(head: Buffer): AudioFormat {
  for (let pos = 12; pos + 8 <= head.length;) {
    const id = head.toString('latin1', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      const format = parseFmt(head.subarray(pos + 8, pos + 8 + size));
      assertSupportedWav(format);
      return { container: 'wav', codec: format.codec, sampleRate: format.sampleRate, channels: format.channels };
    }
    if (id === 'data') break;
    pos += 8 + size + (size & 1);
  }
  throw new UnsupportedAudioError('WAV without a fmt chunk in its first bytes', 'wav/unknown');
}

function probeOgg(head: Buffer): AudioFormat {
  const segments = head[26] ?? 0;
  const packet = head.subarray(27 + segments);
  if (packet.toString('latin1', 0, 8) === 'OpusHead') {
    const opus = parseOpusHead(packet);
    if (opus.channels > 2)
      throw new UnsupportedAudioError(`Ogg Opus with ${opus.channels} channels is not supported (1 or 2)`, 'ogg/opus');
    return { container: 'ogg', codec: 'opus', sampleRate: opus.inputSampleRate || 48000, channels: opus.channels };
  }
  if (packet.toString('latin1', 1, 7) === 'vorbis')
    throw new UnsupportedAudioError('Ogg Vorbis is not supported', 'ogg/vorbis');
  if (packet.toString('latin1', 1, 5) === 'FLAC')
    throw new UnsupportedAudioError('Ogg FLAC is not supported', 'ogg/flac');
  if (packet.toString('latin1', 0, 8) === 'Speex   ')
    throw new UnsupportedAudioError('Ogg Speex is not supported', 'ogg/speex');
  throw new UnsupportedAudioError('Ogg stream of an unknown codec is not supported', 'ogg/unknown');
}

/** MPEG audio: layer I-III are decoded by mpg123; ADTS AAC shares the sync word and is refused. */
function probeMpeg(head: Buffer, offset: number): AudioFormat {
  const frame = mpegFrameHeader(head, offset);
  if (frame === 'aac') throw new UnsupportedAudioError('AAC (ADTS) is not supported', 'aac');
  if (!frame) {
    if (offset > 0 && offset + 4 > head.length) return { container: 'mp3', codec: 'mp3', sampleRate: 0, channels: 0 };
    throw new UnsupportedAudioError('unrecognised audio format (no MPEG frame after the ID3 tag)', 'unknown');
  }
  return {
    container: 'mp3',
    codec: frame.layer === 3 ? 'mp3' : `mp${frame.layer}`,
    sampleRate: frame.sampleRate,
    channels: frame.channels,
  };
}

interface MpegFrame {
  layer: number;
  sampleRate: number;
  channels: number;
}

export function mpegFrameHeader(b: Buffer, pos: number): MpegFrame | 'aac' | null {
  if (pos + 4 > b.length || b[pos] !== 0xff || (b[pos + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[pos + 1] >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
  const layerBits = (b[pos + 1] >> 1) & 3;
  if (layerBits === 0) return (b[pos + 1] & 0xf6) === 0xf0 ? 'aac' : null;
  const rateIndex = (b[pos + 2] >> 2) & 3;
  if (version === 1 || rateIndex === 3 || b[pos + 2] >> 4 === 15) return null;
  const base = [44100, 48000, 32000][rateIndex];
  const sampleRate = version === 3 ? base : version === 2 ? base / 2 : base / 4;
  return { layer: 4 - layerBits, sampleRate, channels: b[pos + 3] >> 6 === 3 ? 1 : 2 };
}

function syncsafe(b: Buffer, pos: number): number {
  if (pos + 4 > b.length) return 0;
  return (b[pos] << 21) | (b[pos + 1] << 14) | (b[pos + 2] << 7) | b[pos + 3];
}

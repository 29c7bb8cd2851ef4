import { ByteReader } from './byte-reader';
import { CorruptAudioError, UnsupportedAudioError } from './audio-errors';

/** PCM as it flows through the transcoder: one Float32Array per channel, -1..1. */
export type Planar = Float32Array[];

export interface PcmStream {
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  chunks: AsyncIterable<Planar>;
}

/** WAVE format tags we can name in errors (the common ones in telephony and on PCs). */
const WAVE_FORMATS: Record<number, string> = {
  0x0001: 'pcm',
  0x0002: 'ms_adpcm',
  0x0003: 'ieee_float',
  0x0006: 'pcm_alaw',
  0x0007: 'pcm_mulaw',
  0x0011: 'ima_adpcm',
  0x0022: 'truespeech',
  0x0031: 'gsm_ms',
  0x0040: 'g721_adpcm',
  0x0045: 'g726_adpcm',
  0x0050: 'mp2',
  0x0055: 'mp3',
  0x0064: 'g726_adpcm',
  0x0161: 'wma',
  0x1610: 'aac',
  0xfffe: 'extensible',
};

export interface WavFormat {
  tag: number;
  codec: string;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

/** Parses a fmt chunk body, resolving WAVE_FORMAT_EXTENSIBLE to its sub-format. */
export function parseFmt(body: Buffer): WavFormat {
  if (body.length < 16) throw new CorruptAudioError('WAV fmt chunk shorter than 16 bytes');
  let tag = body.readUInt16LE(0);
  if (tag === 0xfffe && body.length >= 40) tag = body.readUInt16LE(24);
  const bitsPerSample = body.readUInt16LE(14);
  const format = {
    tag,
    channels: body.readUInt16LE(2),
    sampleRate: body.readUInt32LE(4),
    blockAlign: body.readUInt16LE(12),
    bitsPerSample,
  };
  return { ...format, codec: codecName(tag, bitsPerSample) };
}

function codecName(tag: number, bits: number): string {
  if (tag === 1) return bits === 8 ? 'pcm_u8' : `pcm_s${bits}le`;
  if (tag === 3) return `pcm_f${bits}le`;
  return WAVE_FORMATS[tag] ?? `0x${tag.toString(16).padStart(4, '0')}`;
}

/** Throws UnsupportedAudioError unless we decode this WAV format ourselves. */
export function assertSupportedWav(f: WavFormat): void {
  const pcm = f.tag === 1 && [8, 16, 24, 32].includes(f.bitsPerSample);
  const float = f.tag === 3 && [32, 64].includes(f.bitsPerSample);
  const g711 = (f.tag === 6 || f.tag === 7) && f.bitsPerSample === 8;
  if (!pcm && !float && !g711) {
    const name = `${WAVE_FORMATS[f.tag] ? `${WAVE_FORMATS[f.tag]} ` : ''}(format 0x${f.tag.toString(16).padStart(4, '0')}, ${f.bitsPerSample}-bit)`;
    throw new UnsupportedAudioError(
      `WAV codec ${name} is not supported: use PCM, G.711 µ-law or A-law`,
      `wav/${f.codec}`,
    );
  }
  if (f.channels < 1 || f.channels > 2)
    throw new UnsupportedAudioError(`WAV with ${f.channels} channels is not supported (1 or 2)`, `wav/${f.codec}`);
  if (f.sampleRate < 4000 || f.sampleRate > 192_000)
    throw new UnsupportedAudioError(`WAV sample rate ${f.sampleRate} Hz is not supported`, `wav/${f.codec}`);
  if (f.blockAlign !== (f.bitsPerSample / 8) * f.channels)
    throw new CorruptAudioError(`WAV block align ${f.blockAlign} does not fit ${f.channels} × ${f.bitsPerSample}-bit`);
}

/** Reads RIFF/WAVE up to the data chunk, then streams its samples. Other chunks are skipped. */
export async function openWav(reader: ByteReader): Promise<PcmStream> {
  const riff = await reader.readExactly(12, 'RIFF header');
  const id = riff.toString('latin1', 0, 4);
  if (id !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE')
    throw new UnsupportedAudioError(`not a RIFF/WAVE file (${id})`, 'unknown');
  let format: WavFormat | undefined;
  for (;;) {
    const header = await reader.read(8);
    if (header.length < 8) throw new CorruptAudioError('WAV file without data chunk');
    const chunkId = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    if (chunkId === 'fmt ') {
      format = parseFmt(await reader.readExactly(size + (size & 1), 'WAV fmt chunk'));
      assertSupportedWav(format);
    } else if (chunkId === 'data') {
      if (!format) throw new CorruptAudioError('WAV data chunk before fmt chunk');
      // 0 and 0xFFFFFFFF: written by a streaming tool that could not seek back: read to the end.
      const length = size === 0 || size === 0xffffffff ? Infinity : size;
      const f = format;
      return {
        container: 'wav',
        codec: f.codec,
        sampleRate: f.sampleRate,
        channels: f.channels,
        chunks: wavSamples(reader, f, length),
      };
    } else {
      await reader.skip(size + (size & 1));
    }
  }
}

async function* wavSamples(reader: ByteReader, f: WavFormat, length: number): AsyncGenerator<Planar> {
  const decode = sampleDecoder(f);
  let carry = Buffer.alloc(0);
  for await (const chunk of reader.chunks(length)) {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % f.blockAlign);
    carry = Buffer.from(bytes.subarray(whole));
    if (whole > 0) yield decode(bytes.subarray(0, whole));
  }
  await reader.drain();
}

function sampleDecoder(f: WavFormat): (bytes: Buffer) => Planar {
  const bytesPer = f.bitsPerSample / 8;
  const read = sampleReader(f);
  return (bytes) => {
    const frames = bytes.length / f.blockAlign;
    const out = Array.from({ length: f.channels }, () => new Float32Array(frames));
    for (let i = 0, pos = 0; i < frames; i++) {
      for (let c = 0; c < f.channels; c++, pos += bytesPer) out[c][i] = read(bytes, pos);
    }
    return out;
  };
}

function sampleReader(f: WavFormat): (b: Buffer, pos: number) => number {
  if (f.tag === 6) return (b, p) => ALAW[b[p]];
  if (f.tag === 7) return (b, p) => ULAW[b[p]];
  if (f.tag === 3) return f.bitsPerSample === 32 ? (b, p) => b.readFloatLE(p) : (b, p) => b.readDoubleLE(p);
  switch (f.bitsPerSample) {
    case 8:
      return (b, p) => (b[p] - 128) / 128;
    case 16:
      return (b, p) => b.readInt16LE(p) / 32768;
    case 24:
      return (b, p) => b.readIntLE(p, 3) / 8388608;
    default:
      return (b, p) => b.readInt32LE(p) / 2147483648;
  }
}

// G.711 (ITU-T G.711) expansion tables, scaled to -1..1 (full scale 32768 as for 16-bit PCM).
const ULAW = Float32Array.from({ length: 256 }, (_, i) => {
  const u = ~i & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
  return (u & 0x80 ? -magnitude : magnitude) / 32768;
});

const ALAW = Float32Array.from({ length: 256 }, (_, i) => {
  const a = i ^ 0x55;
  const exponent = (a & 0x70) >> 4;
  let magnitude = ((a & 0x0f) << 4) + 8;
  if (exponent > 0) magnitude = (magnitude + 0x100) << (exponent - 1);
  return (a & 0x80 ? magnitude : -magnitude) / 32768;
});

/** A 44-byte PCM WAV header; dataBytes undefined writes the "unknown length" sizes (0xFFFFFFFF). */
export function wavHeader(sampleRate: number, channels: number, bitsPerSample: number, dataBytes?: number): Buffer {
  const h = Buffer.alloc(44);
  const blockAlign = (channels * bitsPerSample) / 8;
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(dataBytes === undefined ? 0xffffffff : Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes === undefined ? 0xffffffff : dataBytes, 40);
  return h;
}

/** Interleaved little-endian 16-bit PCM of planar samples (clipped). */
export function toInt16Interleaved(planar: Planar, frames = planar[0]?.length ?? 0): Buffer {
  const channels = planar.length;
  const out = Buffer.alloc(frames * channels * 2);
  for (let i = 0, pos = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, pos += 2) out.writeInt16LE(clip16(planar[c][i]), pos);
  }
  return out;
}

export function clip16(v: number): number {
  const s = v * 32768;
  if (s >= 32767) return 32767;
  if (s <= -32768) return -32768;
  return s < 0 ? -((0.5 - s) | 0) : (s + 0.5) | 0;
}

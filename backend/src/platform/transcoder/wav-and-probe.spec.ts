import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeAudio } from './audio-probe';
import { ByteReader, Resampler, openWav, Planar } from '@appliance/audio-format';
import { UnsupportedAudioError } from './transcoder';
import { encodeSamples, linearToAlaw, linearToUlaw, tone, wavFile, wavHeaderOf } from './testing/signals';
import { db, tonePower } from './testing/verify';

const fixture = (name: string) => readFileSync(join(__dirname, 'testing', 'fixtures', name));

async function readAll(bytes: Buffer): Promise<{ rate: number; codec: string; channels: Float32Array[] }> {
  const pcm = await openWav(
    new ByteReader(Readable.from([bytes.subarray(0, 13), bytes.subarray(13, 101), bytes.subarray(101)])),
  );
  const parts: Planar[] = [];
  for await (const chunk of pcm.chunks) parts.push(chunk);
  const channels = Array.from({ length: pcm.channels }, (_, c) => Float32Array.from(parts.flatMap((p) => [...p[c]])));
  return { rate: pcm.sampleRate, codec: pcm.codec, channels };
}

describe('WAV reading', () => {
  it.each(['pcm8', 'pcm16', 'pcm24', 'float32', 'mulaw', 'alaw'] as const)(
    '%s stereo decodes to the samples written',
    async (encoding) => {
      const left = tone(440, 8000, 0.25);
      const right = tone(1250, 8000, 0.25, 0.3);
      const { rate, channels } = await readAll(wavFile(encoding, 8000, [left, right]));
      expect(rate).toBe(8000);
      // G.711 keeps ~12 bits near full scale; 8-bit PCM 1/128.
      const tolerance = { pcm8: 0.01, pcm16: 1e-4, pcm24: 1e-6, float32: 1e-7, mulaw: 0.02, alaw: 0.02 }[encoding];
      for (let i = 0; i < left.length; i++) {
        expect(Math.abs(channels[0][i] - left[i])).toBeLessThan(tolerance);
        expect(Math.abs(channels[1][i] - right[i])).toBeLessThan(tolerance);
      }
    },
  );

  it('expands every G.711 code to the value its encoder chose it for', async () => {
    for (const [encode, tag] of [
      [linearToUlaw, 'mulaw'],
      [linearToAlaw, 'alaw'],
    ] as const) {
      const codes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const { channels } = await readAll(Buffer.concat([wavHeaderOf(tag, 8000, 1, 256), codes]));
      for (let code = 0; code < 256; code++) {
        const linear = Math.round(channels[0][code] * 32768);
        expect(encode(linear)).toBe(tag === 'mulaw' && code === 0x7f ? 0xff : code); // µ-law has two zeros
      }
    }
  });

  it('skips other chunks, and reads a data chunk of unknown length to the end', async () => {
    const samples = encodeSamples('pcm16', [tone(300, 16000, 0.1)]);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);
    const { channels } = await readAll(Buffer.concat([wavHeaderOf('pcm16', 16000, 1, 0xffffffff, list), samples]));
    expect(channels[0].length).toBe(1600);
  });
});

describe('probe', () => {
  it('names what the accepted formats are', () => {
    expect(probeAudio(wavFile('mulaw', 8000, [tone(1, 8000, 0.01), tone(1, 8000, 0.01)]))).toEqual({
      container: 'wav',
      codec: 'pcm_mulaw',
      sampleRate: 8000,
      channels: 2,
    });
    expect(probeAudio(wavFile('alaw', 8000, [tone(1, 8000, 0.01)]))).toMatchObject({ codec: 'pcm_alaw', channels: 1 });
    expect(probeAudio(wavFile('pcm16', 44100, [tone(1, 44100, 0.01)]))).toMatchObject({
      codec: 'pcm_s16le',
      sampleRate: 44100,
    });
    expect(probeAudio(fixture('tones-22k-stereo.mp3'))).toEqual({
      container: 'mp3',
      codec: 'mp3',
      sampleRate: 22050,
      channels: 2,
    });
    expect(probeAudio(fixture('tones-48k-stereo-coupled.opus'))).toEqual({
      container: 'ogg',
      codec: 'opus',
      sampleRate: 48000,
      channels: 2,
    });
  });

  it.each([
    ['MP3 in WAV', wavHeaderOf(0x55, 8000, 1, 0), /WAV codec mp3 \(format 0x0055/],
    ['IMA ADPCM in WAV', wavHeaderOf(0x11, 8000, 1, 0), /WAV codec ima_adpcm \(format 0x0011/],
    ['GSM 6.10 in WAV', wavHeaderOf(0x31, 8000, 1, 0), /WAV codec gsm_ms/],
    ['an unknown WAV codec', wavHeaderOf(0x1234, 8000, 1, 0), /WAV codec \(format 0x1234/],
    ['4-channel WAV', wavHeaderOf('pcm16', 8000, 4, 0), /4 channels/],
    ['FLAC', Buffer.from('fLaC\0\0\0\x22'), /FLAC is not supported/],
    ['Ogg Vorbis', oggFirstPage(Buffer.from('\x01vorbis')), /Ogg Vorbis is not supported/],
    ['AAC (ADTS)', Buffer.of(0xff, 0xf1, 0x50, 0x80, 0, 0x1f, 0xfc), /AAC \(ADTS\) is not supported/],
    ['AMR', Buffer.from('#!AMR\n'), /AMR is not supported/],
    ['big-endian RIFX', Buffer.from('RIFX\0\0\0\0WAVE'), /RIFX WAV is not supported/],
    ['garbage', Buffer.from('hello, this is not audio'), /unrecognised audio format \(first bytes 68656c6c6f2c2074\)/],
    ['nothing', Buffer.alloc(0), /unrecognised audio format \(first bytes none\)/],
  ])('refuses %s with an error naming it', (_name, head, message) => {
    const result = probeAudio(head);
    expect(result).toBeInstanceOf(UnsupportedAudioError);
    expect((result as Error).message).toMatch(message);
  });
});

function oggFirstPage(packet: Buffer): Buffer {
  const header = Buffer.alloc(28);
  header.write('OggS', 0, 'latin1');
  header[26] = 1;
  header[27] = packet.length;
  return Buffer.concat([header, packet]);
}

describe('Resampler', () => {
  function run(r: Resampler, input: Float32Array, piece = 1000): Float32Array {
    const parts: Float32Array[] = [];
    for (let i = 0; i < input.length; i += piece) parts.push(r.push(input.subarray(i, i + piece)));
    parts.push(r.flush());
    return Float32Array.from(parts.flatMap((p) => [...p]));
  }

  it('keeps a tone in band and its timing (44.1 kHz -> 16 kHz)', () => {
    const out = run(new Resampler(44100, 16000), tone(1000, 44100, 1));
    expect(out.length).toBe(16000);
    const expected = tone(1000, 16000, 1);
    let maxError = 0;
    for (let i = 200; i < 15800; i++) maxError = Math.max(maxError, Math.abs(out[i] - expected[i]));
    expect(maxError).toBeLessThan(0.005);
  });

  it('filters what would alias instead of folding it back (12 kHz tone, 44.1 -> 16 kHz)', () => {
    const out = run(new Resampler(44100, 16000), tone(12000, 44100, 1));
    // 12 kHz would fold to 4 kHz; it must be gone (a real resampler, not sample dropping).
    expect(db(tonePower(out, 16000, 4000, 500, 15500) / 0.125)).toBeLessThan(-60);
  });

  it('upsamples 11.025 kHz to 12 kHz with the same accuracy, whatever the piece sizes', () => {
    const out = run(new Resampler(11025, 12000), tone(800, 11025, 1), 333);
    const expected = tone(800, 12000, 1);
    expect(out.length).toBe(12000);
    for (let i = 200; i < 11800; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThan(0.005);
  });
});

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Splits a stored recording (Ogg Opus: one mono stream, or two uncoupled streams left = customer,
 * right = operator) into one 16-bit mono WAV per channel at the engine's rate. ffmpeg decodes and
 * resamples (swresample: a proper band-limited resampler, not sample dropping).
 */
export async function splitChannels(
  recording: Readable,
  workDir: string,
  channels: number,
  sampleRate: number,
): Promise<string[]> {
  const source = join(workDir, 'recording.opus');
  await pipeline(recording, createWriteStream(source));
  const outputs = Array.from({ length: channels }, (_, c) => join(workDir, `channel-${c}.wav`));
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', source];
  outputs.forEach((out, c) => {
    // pan picks one input channel: the parties are never mixed.
    args.push(
      '-map',
      '0:a:0',
      '-af',
      `pan=mono|c0=c${c}`,
      '-ar',
      String(sampleRate),
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      out,
    );
  });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('ffmpeg is not installed (not on PATH)') : e),
    );
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`ffmpeg could not split the recording (${signal ?? code}): ${stderr.trim().slice(-300)}`)),
    );
  });
  return outputs;
}

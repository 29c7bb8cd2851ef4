import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpClient } from './http-client';

/** espeak-ng's klatt2 voice: pocketsphinx's en-us model understands it far better than the default voice. */
const VOICE = ['-v', 'en-us+klatt2', '-s', '165'];

/**
 * A two-party test call spoken by espeak-ng: the customer's sentence on the left channel, then
 * the operator's on the right (the other channel silent meanwhile), 16 kHz 16-bit stereo WAV.
 * Returns the audio and when each party's speech starts and ends (ms).
 */
export function spokenStereoCall(customer: string, operator: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vnote-call-'));
  try {
    const say = (text: string, file: string) => execFileSync('espeak-ng', [...VOICE, '-w', join(dir, file), text]);
    say(customer, 'a.wav');
    say(operator, 'b.wav');
    const seconds = (file: string) =>
      Number(
        execFileSync('soxi', ['-D', join(dir, file)])
          .toString()
          .trim(),
      );
    const a = seconds('a.wav');
    const b = seconds('b.wav');
    const gap = 0.8;
    execFileSync('sox', [
      '-D',
      join(dir, 'a.wav'),
      '-r',
      '16000',
      join(dir, 'l.wav'),
      'pad',
      '0.5',
      String(gap + b + 0.5),
    ]);
    execFileSync('sox', [
      '-D',
      join(dir, 'b.wav'),
      '-r',
      '16000',
      join(dir, 'r.wav'),
      'pad',
      String(0.5 + a + gap),
      '0.5',
    ]);
    execFileSync('sox', ['-D', '-M', join(dir, 'l.wav'), join(dir, 'r.wav'), '-b', '16', join(dir, 'call.wav')]);
    return {
      audio: readFileSync(join(dir, 'call.wav')),
      customer: { startMs: 500, endMs: Math.round((0.5 + a) * 1000) },
      operator: { startMs: Math.round((0.5 + a + gap) * 1000), endMs: Math.round((0.5 + a + gap + b) * 1000) },
      totalMs: Math.round((0.5 + a + gap + b + 0.5) * 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Word error rate: word-level Levenshtein distance over the reference's word count. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const ref = words(reference);
  const hyp = words(hypothesis);
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[hyp.length] / Math.max(1, ref.length);
}

/** Polls a call's transcript until it is done or failed. */
export async function settledTranscript(client: HttpClient, callId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get(`/api/v1/vnote/calls/${callId}/transcript`);
    if (res.status === 200 && (res.body.status === 'done' || res.body.status === 'failed')) return res.body;
    if (Date.now() > deadline) throw new Error(`transcript of ${callId} not settled: ${res.status} ${res.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

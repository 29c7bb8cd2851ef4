import { existsSync } from 'node:fs';
import { runChild } from './child-process-runner';
import { EngineRequest, PermanentEngineError, RecognisedSegment, SpeechEngine } from './speech-engine';

/** Debian's pocketsphinx-en-us model (the only language model shipped here). */
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const BINARY = 'pocketsphinx_continuous';
/** A pause at least this long ends a segment. */
const SEGMENT_GAP_MS = 400;

interface Word {
  word: string;
  startMs: number;
  endMs: number;
  prob: number;
}

/**
 * CMU PocketSphinx (Debian's 5prealpha), offline on CPU, English. Runs `pocketsphinx_continuous`
 * on the channel's 16 kHz WAV with word times, then groups words into segments at pauses.
 */
export class PocketsphinxEngine implements SpeechEngine {
  readonly name = 'pocketsphinx' as const;
  readonly languages = ['en-US'] as const;
  readonly sampleRate = 16000;
  readonly optionKeys = [] as const;
  readonly secretOptions = [] as const;

  constructor(private readonly binary = BINARY) {}

  async availability(): Promise<string | null> {
    if (!existsSync(`${MODEL_DIR}/en-us.lm.bin`))
      return `model not found at ${MODEL_DIR} (apt-get install pocketsphinx-en-us)`;
    return null;
  }

  validateOptions(): { field: string; message: string }[] {
    return [];
  }

  async transcribe(request: EngineRequest): Promise<RecognisedSegment[]> {
    const missing = await this.availability();
    if (missing) throw new PermanentEngineError(`pocketsphinx: ${missing}`);
    const { stdout } = await runChild(
      this.binary,
      ['-infile', request.wavPath, '-time', 'yes', '-logfn', '/dev/null', '-samprate', String(this.sampleRate)],
      { jobName: request.jobName, channel: request.channel },
    );
    return segmentsOf(parseWordTimes(stdout));
  }
}

/** Lines "word start end prob" (seconds); the utterance's text line before them has no times. */
export function parseWordTimes(stdout: string): Word[] {
  const words: Word[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) (-?\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!m) continue;
    words.push({
      word: m[1],
      startMs: Math.round(Number(m[2]) * 1000),
      endMs: Math.round(Number(m[3]) * 1000),
      prob: Number(m[4]),
    });
  }
  return words;
}

const isFiller = (w: string) => /^<.*>$/.test(w) || /^\[.*\]$/.test(w) || w === '++noise++';

/** Groups words into segments: a silence marker or a gap of SEGMENT_GAP_MS ends one. */
export function segmentsOf(words: Word[]): RecognisedSegment[] {
  const segments: RecognisedSegment[] = [];
  let current: Word[] = [];
  const flush = () => {
    if (!current.length) return;
    const probs = current.map((w) => Math.max(0, Math.min(1, w.prob)));
    segments.push({
      startMs: current[0].startMs,
      endMs: current[current.length - 1].endMs,
      // "the(2)" is the dictionary's second pronunciation of "the".
      text: current.map((w) => w.word.replace(/\(\d+\)$/, '')).join(' '),
      confidence: Math.round((1000 * probs.reduce((a, b) => a + b, 0)) / probs.length),
    });
    current = [];
  };
  for (const w of words) {
    if (isFiller(w.word)) {
      if (w.word === '<sil>' && w.endMs - w.startMs >= SEGMENT_GAP_MS) flush();
      if (w.word === '<s>' || w.word === '</s>') flush();
      continue;
    }
    const last = current[current.length - 1];
    if (last && w.startMs - last.endMs >= SEGMENT_GAP_MS) flush();
    current.push(w);
  }
  flush();
  return segments;
}

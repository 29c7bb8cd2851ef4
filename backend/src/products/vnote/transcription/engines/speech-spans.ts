/** Frame of the energy detector. */
const FRAME_MS = 30;
/** A pause this long between speech frames cuts the audio. */
const PAUSE_MS = 500;
/** Longest span handed to an offline recogniser at once (they degrade on long inputs). */
const MAX_SPAN_MS = 25_000;

/**
 * Where someone speaks in a mono channel, by frame energy against the channel's own noise floor.
 * A call channel is mostly one person talking or silence, so this simple detector is enough to cut
 * it into utterances for offline recognisers; spans get 200 ms of context either side.
 */
export function speechSpans(samples: Float32Array, sampleRate: number): { start: number; end: number }[] {
  const frame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
  const energies: number[] = [];
  for (let i = 0; i < samples.length; i += frame) {
    let sum = 0;
    const end = Math.min(samples.length, i + frame);
    for (let j = i; j < end; j++) sum += samples[j] * samples[j];
    energies.push(Math.sqrt(sum / Math.max(1, end - i)));
  }
  if (!energies.length) return [];
  const sorted = [...energies].sort((a, b) => a - b);
  const floor = sorted[Math.floor(sorted.length * 0.1)];
  const threshold = Math.max(0.01, floor * 3);
  const pauseFrames = Math.ceil(PAUSE_MS / FRAME_MS);
  const maxFrames = Math.floor(MAX_SPAN_MS / FRAME_MS);
  const pad = Math.round(sampleRate * 0.2);
  const spans: { start: number; end: number }[] = [];
  let begin = -1;
  let lastVoiced = -1;
  const close = () => {
    spans.push({
      start: Math.max(0, begin * frame - pad),
      end: Math.min(samples.length, (lastVoiced + 1) * frame + pad),
    });
    begin = -1;
  };
  energies.forEach((e, f) => {
    const voiced = e >= threshold;
    if (voiced && begin < 0) begin = f;
    if (voiced) lastVoiced = f;
    if (begin >= 0 && (f - lastVoiced >= pauseFrames || f - begin >= maxFrames)) close();
  });
  if (begin >= 0) close();
  return spans;
}

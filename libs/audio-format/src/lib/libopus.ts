// libopus from @evan/opus, its wasm build on purpose: the package's bundled native addon keeps its
// output buffer in a process-wide static, which is unsafe when the module is loaded in more than one
// realm (worker threads, Jest's per-file registries); each wasm instance has its own memory.
// The raw classes take libopus CTL numbers (opus_defines.h).

export interface OpusEncoderHandle {
  ctl(request: number, value?: number): number;
  /** 16-bit PCM of one frame (2.5-60 ms); returns the packet (a copy). */
  encode(pcm: Int16Array): Uint8Array;
}

export interface OpusDecoderHandle {
  readonly channels: number;
  /** Returns interleaved 16-bit PCM as bytes (a copy). */
  decode(packet: Uint8Array): Uint8Array;
}

interface WasmOpus {
  Encoder: new (options: { channels: number; sample_rate: number; application: 'voip' | 'audio' }) => OpusEncoderHandle;
  Decoder: new (options: { channels: number; sample_rate: number }) => OpusDecoderHandle;
}

const wasm = require('@evan/opus/wasm/index.js') as WasmOpus;

export const OPUS_SET_BITRATE = 4002;
export const OPUS_SET_SIGNAL = 4024;
export const OPUS_SIGNAL_VOICE = 3001;
export const OPUS_GET_LOOKAHEAD = 4027;
export const OPUS_SET_COMPLEXITY = 4010;
export const OPUS_SET_VBR = 4006;
export const OPUS_SET_VBR_CONSTRAINT = 4020;

/**
 * How the bitrate may vary: `on` (libopus's default) spends more on hard content such as music on
 * hold; `constrained` keeps the average at the target whatever the content (a hard size budget);
 * `off` is constant bitrate.
 */
export type OpusBitrateMode = 'on' | 'constrained' | 'off';

export function createEncoder(
  sampleRate: number,
  bitrate: number,
  complexity: number,
  bitrateMode: OpusBitrateMode = 'on',
): OpusEncoderHandle {
  const encoder = new wasm.Encoder({ channels: 1, sample_rate: sampleRate, application: 'voip' });
  encoder.ctl(OPUS_SET_BITRATE, bitrate);
  encoder.ctl(OPUS_SET_COMPLEXITY, complexity);
  encoder.ctl(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
  if (bitrateMode === 'off') encoder.ctl(OPUS_SET_VBR, 0);
  if (bitrateMode === 'constrained') encoder.ctl(OPUS_SET_VBR_CONSTRAINT, 1);
  return encoder;
}

export function createDecoder(channels: number, sampleRate: number): OpusDecoderHandle {
  return new wasm.Decoder({ channels, sample_rate: sampleRate });
}

import { CallAssembler, CallAssemblerOptions } from '../call-assembler';
import { StereoChunk } from '../call-audio';
import { EndedCall } from '../call-record';

/** 2025-01-01T00:00:00.000Z in µs: tests express packet times as offsets from it. */
export const T0 = Date.UTC(2025, 0, 1) * 1000;
export const at = (seconds: number) => T0 + Math.round(seconds * 1e6);
export const iso = (seconds: number) => new Date(Math.floor(at(seconds) / 1000)).toISOString();

/** An assembler that keeps every ended call for inspection. */
export function harness(options: CallAssemblerOptions = {}) {
  const ended: EndedCall[] = [];
  const assembler = new CallAssembler(options, (call) => ended.push(call));
  return { assembler, ended };
}

/** Concatenates a call's rendered audio. */
export function renderAll(call: EndedCall): { left: Int16Array; right: Int16Array } {
  const chunks: StereoChunk[] = [...call.audio.chunks()];
  const length = chunks.reduce((sum, c) => sum + c.left.length, 0);
  const left = new Int16Array(length);
  const right = new Int16Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    left.set(chunk.left, offset);
    right.set(chunk.right, offset);
    offset += chunk.left.length;
  }
  return { left, right };
}

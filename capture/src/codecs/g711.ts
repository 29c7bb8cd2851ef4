// G.711 (ITU-T) µ-law and A-law expansion to 16-bit linear PCM. Both laws map one byte to one
// sample, so a 256-entry table per law turns decoding into a single indexed load per sample.

function expandMuLaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

function expandALaw(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  magnitude += segment === 0 ? 8 : 0x108;
  if (segment > 1) magnitude <<= segment - 1;
  return a & 0x80 ? magnitude : -magnitude;
}

function buildTable(expand: (byte: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = expand(byte);
  return table;
}

export const MU_LAW_TO_LINEAR: Readonly<Int16Array> = buildTable(expandMuLaw);
export const A_LAW_TO_LINEAR: Readonly<Int16Array> = buildTable(expandALaw);

/** Decodes `input` into `output` starting at `offset`; returns the number of samples written. */
export function decodeG711(table: Readonly<Int16Array>, input: Uint8Array, output: Int16Array, offset: number): number {
  const count = Math.min(input.length, output.length - offset);
  for (let i = 0; i < count; i++) output[offset + i] = table[input[i]];
  return count;
}

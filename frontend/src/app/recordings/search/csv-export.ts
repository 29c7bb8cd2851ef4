import { triggerDownload } from '../download-link';

export interface ExportProgress {
  bytes: number;
  /** Data rows received so far (line feeds after the header line). */
  rows: number;
}

export class ExportFailedError extends Error {
  constructor(readonly status: number) {
    super(`export failed with HTTP ${status}`);
  }
}

const LF = 0x0a;

/**
 * Streams GET …/export.csv, reporting bytes and rows as they arrive (the server writes the CSV page
 * by page, so a large export shows progress long before it ends), and returns the whole file.
 */
export async function fetchCsv(
  url: string,
  onProgress: (p: ExportProgress) => void,
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<Blob> {
  const res = await fetchImpl(url, { credentials: 'same-origin', signal, headers: { accept: 'text/csv' } });
  if (!res.ok || !res.body) throw new ExportFailedError(res.status);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === LF) lines++;
    onProgress({ bytes, rows: Math.max(0, lines - 1) });
  }
  return new Blob(parts as BlobPart[], { type: 'text/csv;charset=utf-8' });
}

/** Hands a Blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  triggerDownload(url, fileName, doc);
  // Give the browser time to start reading before the object URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

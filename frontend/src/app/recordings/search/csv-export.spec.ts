import { ExportFailedError, fetchCsv } from './csv-export';

/** A response body as fetchCsv reads it (jsdom has no ReadableStream): its reader yields the chunks. */
function streamOf(chunks: string[]) {
  const queue = chunks.map((c) => new TextEncoder().encode(c));
  return {
    getReader: () => ({
      read: async () => (queue.length ? { done: false, value: queue.shift() } : { done: true, value: undefined }),
    }),
  };
}

const fakeFetch = (status: number, chunks: string[]) =>
  (async () =>
    ({ ok: status < 400, status, body: streamOf(chunks) }) as unknown as Response) as unknown as typeof fetch;

describe('fetchCsv', () => {
  it('reports bytes and data rows as they arrive and returns the whole file', async () => {
    const progress: { bytes: number; rows: number }[] = [];
    const blob = await fetchCsv(
      '/x.csv',
      (p) => progress.push(p),
      new AbortController().signal,
      fakeFetch(200, ['\uFEFFid,caller\r\n', 'a,03\r\nb,', '06\r\n']),
    );
    expect(progress.map((p) => p.rows)).toEqual([0, 1, 2]);
    expect(progress.at(-1)?.bytes).toBe(blob.size);
    expect(blob.size).toBe(new TextEncoder().encode('\uFEFFid,caller\r\na,03\r\nb,06\r\n').length);
  });

  it('fails with the HTTP status when the server refuses', async () => {
    await expect(fetchCsv('/x.csv', () => undefined, new AbortController().signal, fakeFetch(403, []))).rejects.toEqual(
      new ExportFailedError(403),
    );
  });
});

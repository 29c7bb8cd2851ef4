import { createHash } from 'node:crypto';
import type { TestApp } from './test-app';

/**
 * Sends one call to POST /api/v1/ingest/calls as a capture box would (multipart: metadata, then
 * audio). `metadata` overrides the defaults: an inbound flexlog call of 2026-11-20.
 */
export async function uploadCall(
  t: TestApp,
  apiKey: string,
  clientRecordingId: string,
  audio: Buffer,
  metadata: Record<string, unknown> = {},
  // Tests read arbitrary response shapes, like HttpClient's `body`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append(
    'metadata',
    JSON.stringify({
      clientRecordingId,
      source: 'flexlog',
      direction: 'inbound',
      caller: { number: '03-1234-5678' },
      callee: { number: '201' },
      startedAt: '2026-11-20T01:00:00.000Z',
      disposition: 'answered',
      sha256: createHash('sha256').update(audio).digest('hex'),
      ...metadata,
    }),
  );
  form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'call.wav');
  const res = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

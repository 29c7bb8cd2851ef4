import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TranscriptEvents } from '../../src/products/vnote/shared/transcript-events';
import { VnoteSegment, VnoteTranscript } from '../../src/products/vnote/transcription/transcription.entities';
import { HttpClient } from './http-client';
import { ADMIN, TestApp } from './test-app';

export interface SeedSegment {
  speaker: 'customer' | 'operator';
  startMs: number;
  endMs: number;
  text: string;
}

/**
 * The setup wizard with FlexVNote among the products and, when given, a real SMTP server as the mail
 * relay (KeywordAlerts mails through it).
 */
export async function setupVnoteTenant(t: TestApp, smtpPort?: number): Promise<HttpClient> {
  const admin = t.client();
  const mail = smtpPort
    ? { host: '127.0.0.1', port: smtpPort, secure: false, from: 'recorder@example.jp' }
    : { skip: true };
  const steps: Array<[string, string, unknown]> = [
    ['POST', '/api/setup/admin', ADMIN],
    [
      'PUT',
      '/api/setup/organization',
      { organizationName: '株式会社テスト', deploymentMode: 'multi', products: ['flexlog', 'flexvnote'] },
    ],
    ['PUT', '/api/setup/storage', { driver: 'local', localPath: join(t.dataDir, 'recordings') }],
    ['PUT', '/api/setup/encryption', { mode: 'local' }],
    ['PUT', '/api/setup/mail', mail],
    ['POST', '/api/setup/complete', {}],
  ];
  for (const [method, path, body] of steps) {
    const res = await admin.request(method, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
  }
  return admin;
}

/** A user of the tenant the admin belongs to, logged in. */
export async function addUser(t: TestApp, admin: HttpClient, email: string, roles: string[]) {
  const password = 'Vn0te-Passw0rd!';
  const res = await admin.post('/api/v1/users', { email, displayName: email, roles, password });
  if (res.status !== 201) throw new Error(`user ${email}: ${res.status} ${res.text}`);
  const client = t.client();
  await client.post('/api/v1/auth/login', { email, password });
  return { id: res.body.user.id as string, client };
}

/**
 * Stores a finished transcript the way the transcription pipeline does (its tables) and announces it
 * through the seam, which is what indexes it.
 */
export async function storeTranscript(
  t: TestApp,
  tenantId: string,
  callId: string,
  segments: SeedSegment[],
): Promise<string> {
  const transcriptId = randomUUID();
  const now = new Date();
  await t.dataSource.getRepository(VnoteTranscript).insert({
    id: transcriptId,
    tenantId,
    callId,
    recordingId: randomUUID(),
    status: 'done',
    engine: 'test-fixture',
    language: 'ja',
    durationMs: Math.max(0, ...segments.map((s) => s.endMs)),
    progress: 100,
    attempts: 1,
    priority: 0,
    error: null,
    startedAt: now,
    finishedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  const ordered = [...segments].sort((a, b) => a.startMs - b.startMs);
  await t.dataSource.getRepository(VnoteSegment).insert(
    ordered.map((s, seq) => ({
      id: randomUUID(),
      tenantId,
      callId,
      transcriptId,
      seq,
      channel: s.speaker === 'customer' ? 0 : 1,
      speaker: s.speaker,
      startMs: s.startMs,
      endMs: s.endMs,
      text: s.text,
      confidence: 900,
      createdAt: now,
    })),
  );
  await t.app.get(TranscriptEvents).emitSaved({ tenantId, callId, transcriptId });
  return transcriptId;
}

/** Shorthand: alternating lines, 3 s each with 0.5 s pauses, the customer first unless told. */
export function dialogue(lines: Array<[SeedSegment['speaker'], string]>): SeedSegment[] {
  return lines.map(([speaker, text], i) => ({ speaker, text, startMs: i * 3500, endMs: i * 3500 + 3000 }));
}

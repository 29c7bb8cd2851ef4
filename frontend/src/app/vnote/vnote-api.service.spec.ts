import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { TranscriptWire, VnoteApi, mapSegment, segmentKey } from './vnote-api.service';
import { DeadLetter, Transcript } from './vnote.types';

// Shapes copied from docs/vnote/transcription-api.md and docs/vnote/search-api.md.
const wire: TranscriptWire = {
  callId: 'c1',
  transcriptId: 't1',
  status: 'done',
  engine: 'pocketsphinx',
  language: 'en-US',
  durationMs: 12840,
  progress: 100,
  attempts: 1,
  error: null,
  createdAt: '2026-11-24T14:00:00.000Z',
  updatedAt: '2026-11-24T14:00:09.120Z',
  segments: [
    {
      seq: 1,
      channel: 1,
      speaker: 'operator',
      speakerLabel: 'オペレーター',
      startMs: 3000,
      endMs: 5000,
      text: 'b',
      confidence: 400,
    },
    {
      seq: 0,
      channel: 0,
      speaker: 'customer',
      speakerLabel: 'お客様',
      startMs: 120,
      endMs: 2900,
      text: 'a',
      confidence: 812,
    },
  ],
};

describe('VnoteApi', () => {
  let api: VnoteApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(VnoteApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('maps a transcript: job fields apart, segments in time order, confidence per mille to 0..1, keys', () => {
    let got: Transcript | undefined;
    api.transcript('c 1').subscribe((t) => (got = t));
    http.expectOne('/api/v1/vnote/calls/c%201/transcript').flush(wire);
    expect(got?.job.transcriptId).toBe('t1');
    expect(got?.job).not.toHaveProperty('segments');
    expect(got?.segments.map((s) => s.text)).toEqual(['a', 'b']);
    expect(got?.segments.map((s) => s.confidence)).toEqual([0.812, 0.4]);
    expect(got?.segments[0].key).toBe(segmentKey({ channel: 0, startMs: 120 }));
    expect(got?.segments[0].speakerLabel).toBe('お客様');
  });

  it('clamps confidence the engine got wrong instead of hiding the text', () => {
    const base = wire.segments[0];
    expect(mapSegment({ ...base, confidence: 1500 }).confidence).toBe(1);
    expect(mapSegment({ ...base, confidence: -3 }).confidence).toBe(0);
    expect(mapSegment({ ...base, confidence: Number.NaN }).confidence).toBe(1);
  });

  it('ties a keyword hit to its segment by channel and start', () => {
    expect(segmentKey({ channel: 1, startMs: 5000 })).toBe(
      mapSegment({ ...wire.segments[0], channel: 1, startMs: 5000 }).key,
    );
  });

  it('unwraps dead letters and asks only for those not yet retried', () => {
    let got: DeadLetter[] | undefined;
    api.deadLetters().subscribe((d) => (got = d));
    const req = http.expectOne((r) => r.url === '/api/v1/vnote/dead-letters');
    expect(req.request.params.get('includeRetried')).toBe('false');
    req.flush({ items: [{ id: 'd1', reason: 'model not found' }] });
    expect(got?.map((d) => d.reason)).toEqual(['model not found']);
  });

  it('sends the search filters, limit and cursor as query parameters', () => {
    api.search({ q: '料金 解約', flag: 'ng', minSilenceCount: '2' }, 'cur', 20).subscribe();
    const req = http.expectOne((r) => r.url === '/api/v1/vnote/search');
    expect(req.request.params.get('q')).toBe('料金 解約');
    expect(req.request.params.get('flag')).toBe('ng');
    expect(req.request.params.get('minSilenceCount')).toBe('2');
    expect(req.request.params.get('limit')).toBe('20');
    expect(req.request.params.get('cursor')).toBe('cur');
    req.flush({ items: [], nextCursor: null });
  });

  it('filters jobs by status and pages with before', () => {
    api.jobs('running', 50, '2026-11-24T00:00:00Z').subscribe();
    const req = http.expectOne((r) => r.url === '/api/v1/vnote/jobs');
    expect(req.request.params.get('status')).toBe('running');
    expect(req.request.params.get('before')).toBe('2026-11-24T00:00:00Z');
    req.flush({ items: [], counts: { queued: 0, running: 0, done: 0, failed: 0 } });
  });

  it('uses the documented verbs for dictionaries and re-transcription', () => {
    api.updateDictionary('d/1', { enabled: false }).subscribe();
    expect(http.expectOne('/api/v1/vnote/dictionaries/d%2F1').request.method).toBe('PATCH');
    api.transcribe('c1').subscribe();
    const t = http.expectOne('/api/v1/vnote/calls/c1/transcribe');
    expect(t.request.method).toBe('POST');
    api.retryDeadLetter('d1').subscribe();
    expect(http.expectOne('/api/v1/vnote/dead-letters/d1/retry').request.method).toBe('POST');
    http.match(() => true).forEach((r) => r.flush({}));
    t.flush({});
  });
});

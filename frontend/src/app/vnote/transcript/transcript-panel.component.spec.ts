import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { AuthService } from '../../core/auth.service';
import { TranscriptWire } from '../vnote-api.service';
import { KeywordHits } from '../vnote.types';
import { TranscriptPanelComponent } from './transcript-panel.component';

const transcript: TranscriptWire = {
  callId: 'c1',
  transcriptId: 't1',
  status: 'done',
  engine: 'pocketsphinx',
  language: 'ja-JP',
  durationMs: 9000,
  progress: 100,
  attempts: 1,
  error: null,
  createdAt: '2026-11-24T14:00:00.000Z',
  updatedAt: '2026-11-24T14:00:09.000Z',
  segments: [
    {
      seq: 0,
      channel: 0,
      speaker: 'customer',
      speakerLabel: 'お客様',
      startMs: 0,
      endMs: 2000,
      text: '解約したいです',
      confidence: 900,
    },
    {
      seq: 1,
      channel: 1,
      speaker: 'operator',
      speakerLabel: '担当',
      startMs: 2500,
      endMs: 5000,
      text: 'バカなことを',
      confidence: 300,
    },
  ],
};
const hits: KeywordHits = {
  callId: 'c1',
  flags: { ng: 1, competitor: 0, missingRequired: [] },
  hits: [
    {
      dictionaryId: 'd',
      kind: 'ng',
      entry: 'バカ',
      segmentId: 's2',
      startMs: 2500,
      channel: 1,
      speaker: 'operator',
      text: 'バカなことを',
      highlights: [{ start: 0, end: 2 }],
    },
  ],
};

describe('TranscriptPanelComponent', () => {
  let http: HttpTestingController;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [
        TranscriptPanelComponent,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AuthService, useValue: { hasAnyRole: () => true } },
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  function render() {
    const fixture = TestBed.createComponent(TranscriptPanelComponent);
    fixture.componentRef.setInput('callId', 'c1');
    fixture.detectChanges();
    http.expectOne('/api/v1/vnote/calls/c1/transcript').flush(transcript);
    fixture.detectChanges();
    http.expectOne('/api/v1/vnote/calls/c1/keyword-hits').flush(hits);
    fixture.detectChanges();
    return fixture;
  }

  it('puts the customer left and the operator right with the tenant’s labels', () => {
    const el: HTMLElement = render().nativeElement;
    const rows = [...el.querySelectorAll('li.row')];
    expect(rows.map((r) => (r.classList.contains('customer') ? 'L' : 'R'))).toEqual(['L', 'R']);
    expect(rows[1].querySelector('.who')?.textContent?.trim()).toBe('担当');
  });

  it('highlights the segment at the player’s position and none in a silence', () => {
    const fixture = render();
    const current = () =>
      [...fixture.nativeElement.querySelectorAll('[data-current="true"]')].map(
        (e) => (e as HTMLElement).dataset['startMs'],
      );
    fixture.componentRef.setInput('positionMs', 3000);
    fixture.detectChanges();
    expect(current()).toEqual(['2500']);
    fixture.componentRef.setInput('positionMs', 2200);
    fixture.detectChanges();
    expect(current()).toEqual([]);
  });

  it('marks NG words red, shades low confidence and seeks on click', () => {
    const fixture = render();
    const sought: number[] = [];
    fixture.componentInstance.seek.subscribe((ms) => sought.push(ms));
    const bubbles = fixture.nativeElement.querySelectorAll('button.bubble') as NodeListOf<HTMLButtonElement>;
    expect(bubbles[1].querySelector('mark.kw-ng')?.textContent).toBe('バカ');
    expect(bubbles[1].classList).toContain('ng');
    expect(bubbles[1].classList).toContain('low');
    expect(bubbles[0].classList).not.toContain('low');
    bubbles[1].click();
    expect(sought).toEqual([2500]);
  });
});

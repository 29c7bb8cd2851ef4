import { PercentPipe } from '@angular/common';
import { Component, ElementRef, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, apiStatus } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { DurationPipe } from '../../recordings/tenant-time';
import { VnoteApi, segmentKey } from '../vnote-api.service';
import { KeywordHit, Speaker, Transcript } from '../vnote.types';
import { currentSegmentIndex } from './current-segment';
import { MarkRange } from './highlight';
import { HighlightedTextComponent } from './highlighted-text.component';

/** Who may (re)queue a transcription (the transcription API's write roles). */
export const TRANSCRIBE_ROLES = ['tenantAdmin', 'supervisor'] as const;
/** Below this confidence a bubble is shaded and says how sure the engine was. */
export const LOW_CONFIDENCE = 0.6;
// While a job is queued or running the panel asks again this often.
const POLL_MS = 5_000;

/**
 * The call's transcript as a conversation: customer on the left, operator on the right, the
 * segment being played highlighted (from the player's position), a click seeks there, keyword
 * hits marked (NG words red). Shows the job's state while there is no finished transcript.
 */
@Component({
  selector: 'app-transcript-panel',
  imports: [
    PercentPipe,
    MatButtonModule,
    MatProgressBarModule,
    MatTooltipModule,
    TranslocoPipe,
    StatusBannerComponent,
    DurationPipe,
    HighlightedTextComponent,
  ],
  templateUrl: './transcript-panel.component.html',
  styleUrl: './transcript-panel.component.scss',
})
export class TranscriptPanelComponent {
  readonly callId = input.required<string>();
  /** The player's position in milliseconds. */
  readonly positionMs = input(0);
  readonly seek = output<number>();

  private readonly api = inject(VnoteApi);
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  protected readonly lowConfidence = LOW_CONFIDENCE;
  protected readonly transcript = signal<Transcript | null>(null);
  protected readonly hits = signal<KeywordHit[]>([]);
  protected readonly loading = signal(true);
  protected readonly missing = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly busy = signal(false);
  protected readonly canTranscribe = computed(() => this.auth.hasAnyRole(TRANSCRIBE_ROLES));
  protected readonly segments = computed(() => this.transcript()?.segments ?? []);
  protected readonly current = computed(() => currentSegmentIndex(this.segments(), this.positionMs()));
  /** Keyword marks per segment (keyed by channel and start: the transcript API gives no segment ids). */
  protected readonly marks = computed(() => {
    const bySegment = new Map<string, MarkRange[]>();
    for (const h of this.hits()) {
      const key = segmentKey(h);
      bySegment.set(key, [...(bySegment.get(key) ?? []), ...h.highlights.map((r) => ({ ...r, kind: h.kind }))]);
    }
    return bySegment;
  });
  protected readonly ngSegments = computed(
    () =>
      new Set(
        this.hits()
          .filter((h) => h.kind === 'ng')
          .map((h) => segmentKey(h)),
      ),
  );
  /** The tenant's names for the two sides, as the segments carry them. */
  protected readonly labels = computed(() => {
    const labels: Partial<Record<Speaker, string>> = {};
    for (const s of this.segments()) labels[s.speaker] ??= s.speakerLabel;
    return labels;
  });
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect((onCleanup) => {
      const id = this.callId();
      untracked(() => this.load(id));
      onCleanup(() => this.stopPolling());
    });
    // Keeps the spoken bubble in view inside the panel (not the page) while the call plays.
    effect(() => {
      const index = this.current();
      if (index < 0) return;
      untracked(() => this.scrollToSegment(index));
    });
  }

  protected reload(): void {
    this.load(this.callId());
  }

  private load(id: string): void {
    this.stopPolling();
    this.loading.set(true);
    this.error.set(null);
    this.api.transcript(id).subscribe({
      next: (t) => {
        if (id !== this.callId()) return;
        this.loading.set(false);
        this.missing.set(false);
        this.transcript.set(t);
        if (t.job.status === 'done') this.loadHits(id);
        else if (t.job.status !== 'failed') this.timer = setTimeout(() => this.load(id), POLL_MS);
      },
      error: (err: unknown) => {
        if (id !== this.callId()) return;
        this.loading.set(false);
        this.transcript.set(null);
        if (apiStatus(err) === 404) this.missing.set(true);
        else this.error.set({ text: apiMessage(err) });
      },
    });
  }

  private loadHits(id: string): void {
    this.api.keywordHits(id).subscribe({
      next: (k) => this.hits.set(k.hits),
      // Keyword marks are extra: the transcript stays readable without them.
      error: () => this.hits.set([]),
    });
  }

  protected transcribe(): void {
    this.busy.set(true);
    this.error.set(null);
    this.api.transcribe(this.callId()).subscribe({
      next: () => {
        this.busy.set(false);
        this.reload();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scrollToSegment(index: number): void {
    const list = this.host.nativeElement.querySelector<HTMLElement>('.bubbles');
    const bubble = list?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!list || !bubble) return;
    const top = bubble.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + bubble.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }
}

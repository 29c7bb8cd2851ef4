import { DecimalPipe } from '@angular/common';
import { Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { apiStatus } from '../../core/api-errors';
import { DurationPipe } from '../../recordings/tenant-time';
import { VnoteApi } from '../vnote-api.service';
import { CallMetrics, SPEAKERS } from '../vnote.types';
import { RatioSlice, TalkRatioChartComponent } from './talk-ratio-chart.component';

const COLORS = { customer: '#1565c0', operator: '#2e7d32' };

/** Conversation metrics of one call: talk ratio (doughnut + numbers), silences, overlaps, speech rate, monologue. */
@Component({
  selector: 'app-call-metrics',
  imports: [DecimalPipe, MatButtonModule, TranslocoPipe, DurationPipe, TalkRatioChartComponent],
  template: `
    @if (metrics(); as m) {
      <div class="ratio">
        <app-talk-ratio-chart [slices]="slices()" />
        <dl class="facts" data-testid="metrics-talk">
          @for (s of speakers; track s) {
            <dt><span class="dot" [style.background]="colors[s]"></span>{{ 'vnote.speaker.' + s | transloco }}</dt>
            <dd>
              {{ m.speakers[s].talkPercent }}% · {{ m.speakers[s].talkMs / 1000 | duration }} ·
              {{ 'vnote.metrics.cpm' | transloco: { n: m.speakers[s].charsPerMinute } }}
            </dd>
          }
        </dl>
      </div>
      <dl class="facts" data-testid="call-metrics">
        <dt>{{ 'vnote.metrics.silences' | transloco }}</dt>
        <dd>
          {{ 'vnote.metrics.count' | transloco: { n: m.silenceCount } }}
          @for (s of m.silences; track s.startMs) {
            <button mat-button class="at" (click)="seek.emit(s.startMs)">{{ s.startMs / 1000 | duration }}</button>
          }
        </dd>
        <dt>{{ 'vnote.metrics.overlaps' | transloco }}</dt>
        <dd>
          {{ 'vnote.metrics.count' | transloco: { n: m.overlapCount } }} ({{
            m.overlapTotalMs / 1000 | number: '1.0-1'
          }}s)
        </dd>
        <dt>{{ 'vnote.metrics.speechRate' | transloco }}</dt>
        <dd>{{ 'vnote.metrics.cpm' | transloco: { n: m.speechRate } }}</dd>
        <dt>{{ 'vnote.metrics.longestMonologue' | transloco }}</dt>
        <dd>
          @if (m.longestMonologue; as lm) {
            {{ lm.durationMs / 1000 | duration }} ({{ 'vnote.speaker.' + lm.speaker | transloco }})
            <button mat-button class="at" (click)="seek.emit(lm.startMs)">{{ lm.startMs / 1000 | duration }}</button>
          } @else {
            —
          }
        </dd>
      </dl>
    } @else if (state() === 'none') {
      <p class="muted">{{ 'vnote.metrics.none' | transloco }}</p>
    } @else if (state() === 'error') {
      <p class="muted">{{ 'vnote.metrics.failed' | transloco }}</p>
    }
  `,
  styles: `
    .ratio {
      display: flex;
      align-items: center;
      gap: 16px;
      margin-bottom: 8px;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 0;
      font-size: 14px;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
    }
    dd {
      margin: 0;
    }
    .dot {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      margin-right: 6px;
    }
    .at {
      min-width: 0;
      padding: 0 6px;
      height: 24px;
    }
  `,
})
export class CallMetricsComponent {
  readonly callId = input.required<string>();
  readonly seek = output<number>();
  private readonly api = inject(VnoteApi);
  private readonly transloco = inject(TranslocoService);
  protected readonly speakers = SPEAKERS;
  protected readonly colors = COLORS;
  protected readonly metrics = signal<CallMetrics | null>(null);
  protected readonly state = signal<'loading' | 'none' | 'error' | 'ok'>('loading');
  protected readonly slices = computed<RatioSlice[]>(() => {
    const m = this.metrics();
    if (!m) return [];
    return SPEAKERS.map((s) => ({
      label: this.transloco.translate(`vnote.speaker.${s}`),
      value: m.speakers[s].talkPercent,
      color: COLORS[s],
    }));
  });

  constructor() {
    effect(() => {
      const id = this.callId();
      untracked(() => {
        this.metrics.set(null);
        this.state.set('loading');
        this.api.metrics(id).subscribe({
          next: (m) => {
            this.metrics.set(m);
            this.state.set('ok');
          },
          error: (err: unknown) => this.state.set(apiStatus(err) === 404 ? 'none' : 'error'),
        });
      });
    });
  }
}

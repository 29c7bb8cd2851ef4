import { Component, DestroyRef, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import type { Chart } from 'chart.js';

export interface RatioSlice {
  label: string;
  value: number;
  color: string;
}

/**
 * A small doughnut of talk time per speaker. Chart.js is imported on first draw with only the
 * doughnut parts registered (as the dashboard does), so it stays out of the main bundle. The
 * numbers are shown as text next to it by the parent, so the canvas is decorative.
 */
@Component({
  selector: 'app-talk-ratio-chart',
  template: `<div class="box"><canvas #canvas aria-hidden="true"></canvas></div>`,
  styles: `
    .box {
      position: relative;
      width: 120px;
      height: 120px;
    }
  `,
})
export class TalkRatioChartComponent {
  readonly slices = input.required<RatioSlice[]>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  protected readonly failed = signal(false);
  private chart: Chart<'doughnut'> | null = null;

  constructor() {
    effect(() => void this.draw(this.slices()));
    inject(DestroyRef).onDestroy(() => this.chart?.destroy());
  }

  private async draw(slices: RatioSlice[]): Promise<void> {
    try {
      const c = await import('chart.js');
      c.Chart.register(c.DoughnutController, c.ArcElement, c.Tooltip);
      this.chart?.destroy();
      this.chart = new c.Chart(this.canvas().nativeElement, {
        type: 'doughnut',
        data: {
          labels: slices.map((s) => s.label),
          datasets: [{ data: slices.map((s) => s.value), backgroundColor: slices.map((s) => s.color) }],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          cutout: '60%',
          plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${ctx.raw}%` } } },
        },
      });
    } catch {
      this.failed.set(true); // the figures beside it still say everything
    }
  }
}

import { Component, DestroyRef, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { Chart, ChartConfiguration } from 'chart.js';

export interface ChartSeries {
  /** i18n key of the series name (legend, tooltip, table header). */
  labelKey: string;
  data: number[];
  color: string;
}

/**
 * One Chart.js chart (stacked bars, horizontal bars or a line). Chart.js is imported on first draw
 * and only its bar/line parts are registered, so it stays in the dashboard's lazy chunk. The same
 * figures follow as a visually hidden table for screen readers.
 */
@Component({
  selector: 'app-dashboard-chart',
  imports: [TranslocoPipe],
  template: `
    <div class="chart-box" [style.height.px]="height()">
      <canvas #canvas role="img" [attr.aria-label]="titleKey() | transloco"></canvas>
    </div>
    @if (failed()) {
      <p class="muted">{{ 'dashboard.chartUnavailable' | transloco }}</p>
    }
    <table class="cdk-visually-hidden">
      <caption>
        {{
          titleKey() | transloco
        }}
      </caption>
      <tr>
        <th scope="col"></th>
        @for (s of series(); track s.labelKey) {
          <th scope="col">{{ s.labelKey | transloco }}</th>
        }
      </tr>
      @for (label of labels(); track $index; let i = $index) {
        <tr>
          <th scope="row">{{ label }}</th>
          @for (s of series(); track s.labelKey) {
            <td>{{ format()(s.data[i]) }}</td>
          }
        </tr>
      }
    </table>
  `,
  styles: `
    .chart-box {
      position: relative;
      width: 100%;
    }
  `,
})
export class DashboardChartComponent {
  readonly kind = input<'bar' | 'line'>('bar');
  readonly titleKey = input.required<string>();
  readonly labels = input.required<string[]>();
  readonly series = input.required<ChartSeries[]>();
  readonly stacked = input(false);
  readonly horizontal = input(false);
  readonly height = input(260);
  /** How values read on the axis, tooltips and table (counts, durations, bytes). */
  readonly format = input<(v: number) => string>((v) => String(v));

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly transloco = inject(TranslocoService);
  private readonly lang = signal(this.transloco.getActiveLang());
  protected readonly failed = signal(false);
  private chart: Chart | null = null;

  constructor() {
    const langSub = this.transloco.langChanges$.subscribe((l) => this.lang.set(l));
    effect(() => void this.draw(this.lang()));
    inject(DestroyRef).onDestroy(() => {
      langSub.unsubscribe();
      this.chart?.destroy();
    });
  }

  private async draw(lang: string): Promise<void> {
    const [kind, labels, series, stacked, horizontal, format] = [
      this.kind(),
      this.labels(),
      this.series(),
      this.stacked(),
      this.horizontal(),
      this.format(),
    ];
    try {
      const c = await import('chart.js');
      c.Chart.register(
        c.BarController,
        c.BarElement,
        c.LineController,
        c.LineElement,
        c.PointElement,
        c.CategoryScale,
        c.LinearScale,
        c.Tooltip,
        c.Legend,
      );
      const valueAxis = {
        beginAtZero: true,
        stacked,
        ticks: { precision: 0, callback: (v: string | number) => format(Number(v)) },
      };
      const config: ChartConfiguration = {
        type: kind,
        data: {
          labels,
          datasets: series.map((s) => ({
            label: this.transloco.translate(s.labelKey, {}, lang),
            data: s.data,
            backgroundColor: s.color,
            borderColor: s.color,
            pointRadius: kind === 'line' ? 2 : undefined,
          })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: horizontal ? 'y' : 'x',
          scales: horizontal
            ? { x: valueAxis, y: { stacked } }
            : { x: { stacked, ticks: { autoSkip: true, maxRotation: 0 } }, y: valueAxis },
          plugins: {
            legend: { display: series.length > 1, position: 'bottom' },
            tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(Number(ctx.raw))}` } },
          },
        },
      };
      this.chart?.destroy();
      this.chart = new c.Chart(this.canvas().nativeElement, config);
      this.failed.set(false);
    } catch {
      this.failed.set(true);
    }
  }
}

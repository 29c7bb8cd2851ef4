import { Component, DestroyRef, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { Chart } from 'chart.js';
import { formatBytes } from './bytes';

/**
 * Bytes stored per month as a bar chart. Chart.js is imported on first use so it lives in this
 * page's lazy chunk, not in the initial bundle. A table with the same figures follows the canvas
 * for screen readers.
 */
@Component({
  selector: 'app-usage-chart',
  imports: [TranslocoPipe],
  template: `
    <div class="chart-box">
      <canvas #canvas role="img" [attr.aria-label]="'admin.storage.usage.chartLabel' | transloco"></canvas>
    </div>
    @if (chartFailed()) {
      <p class="muted">{{ 'admin.storage.usage.chartUnavailable' | transloco }}</p>
    }
    <table class="cdk-visually-hidden">
      <caption>
        {{
          'admin.storage.usage.chartLabel' | transloco
        }}
      </caption>
      @for (m of months(); track m.month) {
        <tr>
          <th scope="row">{{ m.month }}</th>
          <td>{{ size(m.bytes) }}</td>
          <td>{{ m.count }}</td>
        </tr>
      }
    </table>
  `,
  styles: `
    .chart-box {
      position: relative;
      height: 240px;
      max-width: 760px;
    }
  `,
})
export class UsageChartComponent {
  readonly months = input.required<{ month: string; count: number; bytes: number }[]>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly transloco = inject(TranslocoService);
  private readonly lang = signal(this.transloco.getActiveLang());
  protected readonly chartFailed = signal(false);
  protected readonly size = formatBytes;
  private chart: Chart<'bar', number[], string> | null = null;

  constructor() {
    const langSub = this.transloco.langChanges$.subscribe((l) => this.lang.set(l));
    effect(() => void this.draw(this.months(), this.lang()));
    inject(DestroyRef).onDestroy(() => {
      langSub.unsubscribe();
      this.chart?.destroy();
    });
  }

  private async draw(months: { month: string; bytes: number }[], lang: string): Promise<void> {
    try {
      const { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip } = await import('chart.js');
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
      const label = this.transloco.translate('admin.storage.usage.chartSeries', {}, lang);
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, {
        type: 'bar',
        data: {
          labels: months.map((m) => m.month),
          datasets: [{ label, data: months.map((m) => m.bytes), backgroundColor: '#3f6fb5' }],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatBytes(Number(v)) } } },
          plugins: { tooltip: { callbacks: { label: (c) => `${label}: ${formatBytes(Number(c.raw))}` } } },
        },
      });
    } catch {
      this.chartFailed.set(true);
    }
  }
}

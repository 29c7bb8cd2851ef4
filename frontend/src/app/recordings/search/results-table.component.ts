import { ScrollingModule } from '@angular/cdk/scrolling';
import { Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { placeLabel } from '../call-place';
import { CallView, Direction } from '../recordings.types';
import { DurationPipe, TenantTimePipe } from '../tenant-time';
import { ColumnId, customerName, gridMinWidth, gridTracks } from './call-columns';

export const ROW_HEIGHT = 48;
/** Ask for the next page when the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 30;

const DIRECTION_ICONS: Record<Direction, string> = {
  inbound: 'rec-inbound',
  outbound: 'rec-outbound',
  internal: 'rec-internal',
};

/**
 * The results grid: only the rows in view are in the DOM (CDK virtual scroll), so tens of
 * thousands of loaded calls scroll as fast as fifty; the next page is fetched before the end shows.
 */
@Component({
  selector: 'app-call-results',
  imports: [
    ScrollingModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    RouterLink,
    TranslocoPipe,
    DurationPipe,
    TenantTimePipe,
  ],
  templateUrl: './results-table.component.html',
  styleUrl: './results-table.component.scss',
})
export class ResultsTableComponent {
  readonly rows = input.required<CallView[]>();
  readonly columns = input.required<ColumnId[]>();
  readonly lang = input.required<string>();
  /** Total matching calls as the API counted them (exact or a lower bound). */
  readonly total = input<{ value: number; exact: boolean } | null>(null);
  readonly hasMore = input(false);
  readonly loadingMore = input(false);
  readonly userNames = input<ReadonlyMap<string, string>>(new Map());
  readonly more = output<void>();

  protected readonly rowHeight = ROW_HEIGHT;
  protected readonly icons = DIRECTION_ICONS;
  protected readonly customerName = customerName;
  protected readonly tracks = computed(() => gridTracks(this.columns()));
  protected readonly minWidth = computed(() => gridMinWidth(this.columns()));
  protected readonly rowCount = computed(() => {
    const t = this.total();
    return t && t.exact ? t.value + 1 : -1;
  });

  protected onScrolled(firstVisible: number): void {
    const visibleRows = 20;
    if (this.hasMore() && !this.loadingMore() && firstVisible + visibleRows >= this.rows().length - PREFETCH_ROWS) {
      this.more.emit();
    }
  }

  protected readonly placeLabel = placeLabel;

  protected userLabel(call: CallView): string {
    const name = call.userId ? this.userNames().get(call.userId) : undefined;
    return [call.extension, name].filter(Boolean).join(' / ');
  }

  protected trackById(_: number, call: CallView): string {
    return call.id;
  }
}

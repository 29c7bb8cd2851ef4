import { Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * Footer of a setup step form: Back on the left, the submit button on the right.
 * Extra buttons (e.g. Skip) are projected just before the submit button.
 */
@Component({
  selector: 'app-step-actions',
  imports: [MatButtonModule, TranslocoPipe],
  host: { class: 'step-actions' },
  template: `
    @if (showBack()) {
      <button mat-button type="button" (click)="back.emit()" data-testid="setup-back">
        {{ 'common.back' | transloco }}
      </button>
    }
    <span class="spacer"></span>
    <ng-content />
    <button mat-flat-button type="submit" [disabled]="busy()" data-testid="setup-next">
      {{ nextKey() | transloco }}
    </button>
  `,
})
export class StepActionsComponent {
  readonly busy = input(false);
  readonly showBack = input(true);
  readonly nextKey = input('common.next');
  readonly back = output<void>();
}

import { Component, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { CARD_FIELDS, LookupTestResult } from './integrations.api';

/** What a test button answered: the mapped cards, or the error (with kintone's code when kintone refused). */
@Component({
  selector: 'app-lookup-test-result',
  imports: [TranslocoPipe],
  template: `
    @let r = result();
    <div class="test-result" data-testid="lookup-test-result">
      @if (r.ok) {
        <p>{{ 'popupIntegrations.test.found' | transloco: { n: r.cards.length, ms: r.durationMs } }}</p>
        @for (card of r.cards; track $index) {
          <dl class="card">
            @for (field of fields; track field) {
              @if (card[field]) {
                <dt>{{ 'popupIntegrations.cardFields.' + field | transloco }}</dt>
                <dd>{{ card[field] }}</dd>
              }
            }
          </dl>
        }
      } @else {
        <p class="banner error">
          {{ 'popupIntegrations.test.failed' | transloco: { ms: r.durationMs } }}
          @if (r.kintoneCode) {
            <code>{{ r.kintoneCode }}</code>
          }
          {{ r.error }}
        </p>
      }
    </div>
  `,
  styles: `
    .card {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 12px;
      padding: 8px 12px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 6px;
    }
    dd {
      margin: 0;
    }
  `,
})
export class LookupTestResultComponent {
  readonly result = input.required<LookupTestResult>();
  protected readonly fields = CARD_FIELDS;
}

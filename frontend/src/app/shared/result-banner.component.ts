import { Component, input } from '@angular/core';
import { StatusBannerComponent } from './status-banner.component';

/** Outcome of a save: `okKey` when it worked, else the server's text or the generic error. */
export interface SaveResult {
  ok: boolean;
  text: string | null;
}

@Component({
  selector: 'app-result-banner',
  imports: [StatusBannerComponent],
  // No box of its own, so an empty banner adds no gap in a flex column.
  styles: ':host { display: contents; }',
  template: `
    @if (result(); as r) {
      <app-status-banner
        [kind]="r.ok ? 'ok' : 'error'"
        [key]="r.ok ? okKey() : r.text ? null : 'errors.generic'"
        [text]="r.text"
      />
    }
  `,
})
export class ResultBannerComponent {
  readonly result = input<SaveResult | null>(null);
  readonly okKey = input.required<string>();
}

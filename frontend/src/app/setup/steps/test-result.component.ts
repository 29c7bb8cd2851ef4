import { Component, input } from '@angular/core';
import { TestResult } from '../../core/api.types';
import { StatusBannerComponent } from '../../shared/status-banner.component';

/** Outcome of a 「接続テスト」 call: green with the server's message, or red. */
@Component({
  selector: 'app-test-result',
  imports: [StatusBannerComponent],
  template: `
    @if (result(); as r) {
      <app-status-banner
        [kind]="r.ok ? 'ok' : 'error'"
        [key]="r.ok ? 'setup.testOk' : 'setup.testFailed'"
        [text]="r.message"
      />
    }
  `,
})
export class TestResultComponent {
  readonly result = input<TestResult | null>(null);
}

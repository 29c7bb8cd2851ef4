import { Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { TestResult } from '../../core/api.types';
import { TestResultComponent } from './test-result.component';

/** 「接続テスト」 button with its outcome beside it; `testId` names both (`<id>`, `<id>-result`). */
@Component({
  selector: 'app-connection-test',
  imports: [MatButtonModule, TranslocoPipe, TestResultComponent],
  host: { class: 'test-row' },
  template: `
    <button mat-stroked-button type="button" (click)="run.emit()" [disabled]="testing()" [attr.data-testid]="testId()">
      {{ 'setup.testConnection' | transloco }}
    </button>
    <app-test-result [result]="result()" [attr.data-testid]="testId() + '-result'" />
  `,
})
export class ConnectionTestComponent {
  readonly testing = input(false);
  readonly result = input<TestResult | null>(null);
  readonly testId = input.required<string>();
  readonly run = output<void>();
}

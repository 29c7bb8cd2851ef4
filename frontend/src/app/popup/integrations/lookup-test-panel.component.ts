import { Component, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { LookupTestResult } from './integrations.api';
import { LookupTestResultComponent } from './lookup-test-result.component';

/**
 * The "try a number" row under a lookup connector's settings, and what the lookup answered.
 * A failed request is handed up through `failed` so the panel shows it in its own error banner.
 */
@Component({
  selector: 'app-lookup-test-panel',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslocoPipe, LookupTestResultComponent],
  template: `
    <div class="grid">
      <mat-form-field>
        <mat-label>{{ 'popupIntegrations.test.number' | transloco }}</mat-label>
        <input matInput [(ngModel)]="testNumber" placeholder="03-1234-5678" />
      </mat-form-field>
      <button mat-stroked-button type="button" (click)="test()" [disabled]="!testNumber">
        {{ 'popupIntegrations.test.run' | transloco }}
      </button>
    </div>
    @if (result(); as r) {
      <app-lookup-test-result [result]="r" />
    }
  `,
  styleUrl: './integrations.scss',
})
export class LookupTestPanelComponent {
  /** Runs the connector's test endpoint for a phone number. */
  readonly run = input.required<(phoneNumber: string) => Observable<LookupTestResult>>();
  /** null when a test starts (clears the panel's banner), else the API's message. */
  readonly failed = output<string | null>();
  protected testNumber = '';
  protected readonly result = signal<LookupTestResult | null>(null);

  protected test(): void {
    this.result.set(null);
    this.failed.emit(null);
    this.run()(this.testNumber).subscribe({
      next: (result) => this.result.set(result),
      error: (err: unknown) => this.failed.emit(apiMessage(err)),
    });
  }
}

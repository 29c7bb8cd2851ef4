import { DatePipe, formatDate } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../core/api-errors';
import { AuthService } from '../core/auth.service';
import { afterConfirm } from '../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../shared/status-banner.component';
import { FlexdplayerApi, OpeningTest } from './flexdplayer.api';

/** 開通試験: the date the carrier's first valid file arrived, confirmed by an admin (the service start). */
@Component({
  selector: 'app-flexd-opening-test-card',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatProgressBarModule, TranslocoPipe, StatusBannerComponent],
  template: `
    <mat-card appearance="outlined" class="opening-card" data-testid="flexd-opening-test">
      <mat-card-header>
        <mat-card-title>{{ 'flexdplayer.openingTest.title' | transloco }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" />
        }
        @if (error(); as e) {
          <app-status-banner kind="error" key="flexdplayer.loadFailed" [text]="e.text" />
          <button mat-stroked-button type="button" (click)="load()" data-testid="flexd-opening-retry">
            {{ 'flexdplayer.retry' | transloco }}
          </button>
        }
        @if (test(); as t) {
          <p>
            <span
              class="status-pill"
              [class.enabled]="t.state === 'confirmed'"
              [class.disabled]="t.state === 'waiting'"
              [class.candidate]="t.state === 'candidate'"
              data-testid="flexd-opening-state"
              >{{ 'flexdplayer.openingTest.states.' + t.state | transloco }}</span
            >
          </p>
          @switch (t.state) {
            @case ('waiting') {
              <p class="muted">{{ 'flexdplayer.openingTest.waitingHint' | transloco }}</p>
            }
            @case ('candidate') {
              <p data-testid="flexd-opening-candidate">
                {{
                  'flexdplayer.openingTest.candidateAt' | transloco: { at: (t.candidateAt | date: 'yyyy/MM/dd HH:mm') }
                }}
                @if (t.candidateNote) {
                  <span class="muted">({{ t.candidateNote }})</span>
                }
              </p>
            }
            @case ('confirmed') {
              <p data-testid="flexd-opening-confirmed">
                {{
                  'flexdplayer.openingTest.confirmedAt' | transloco: { at: (t.confirmedAt | date: 'yyyy/MM/dd HH:mm') }
                }}
              </p>
            }
          }
          @if (actionError(); as e) {
            <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
          }
          @if (isAdmin() && t.state === 'candidate') {
            <button
              mat-flat-button
              type="button"
              (click)="confirm(t)"
              [disabled]="busy()"
              data-testid="flexd-opening-confirm"
            >
              {{ 'flexdplayer.openingTest.confirm' | transloco }}
            </button>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .status-pill.candidate {
      background: #fff4e5;
      color: #8a4b00;
    }
    .opening-card {
      margin-bottom: 16px;
      max-width: 720px;
    }
  `,
})
export class OpeningTestCardComponent {
  private readonly api = inject(FlexdplayerApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly test = signal<OpeningTest | null>(null);
  protected readonly loading = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.openingTest().subscribe({
      next: (t) => {
        this.loading.set(false);
        this.test.set(t);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected confirm(t: OpeningTest): void {
    const at = t.candidateAt ? formatDate(t.candidateAt, 'yyyy/MM/dd HH:mm', 'en-US') : '';
    afterConfirm(
      this.dialog,
      {
        titleKey: 'flexdplayer.openingTest.confirmTitle',
        messageKey: 'flexdplayer.openingTest.confirmMessage',
        params: { at },
        confirmKey: 'flexdplayer.openingTest.confirm',
      },
      () => {
        this.busy.set(true);
        this.actionError.set(null);
        return this.api.confirmOpeningTest();
      },
    ).subscribe({
      next: (updated) => {
        this.busy.set(false);
        this.test.set(updated);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }
}

import { Location } from '@angular/common';
import { Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleChange, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { apiMessage, apiStatus } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { placeLabel } from '../call-place';
import { CallPlayerComponent } from '../player/player.component';
import { RecordingsApi } from '../recordings.api';
import { useRecordingIcons } from '../recordings-icons';
import { CallDetail } from '../recordings.types';
import { DurationPipe, TenantTimePipe } from '../tenant-time';
import { CallMetricsComponent } from '../../vnote/transcript/call-metrics.component';
import { TranscriptPanelComponent } from '../../vnote/transcript/transcript-panel.component';
import { CallAccessLogComponent } from './call-access-log.component';
import { dtmfRows, qualityRows } from './call-facts';
import { CallNotesComponent } from './call-notes.component';

/** Roles PATCH /calls/:id accepts for notes and tags (calls.controller.ts). */
const EDIT_ROLES = ['tenantAdmin', 'supervisor', 'operator'] as const;
/** Roles the audit API serves: who may see who listened. */
const ACCESS_LOG_ROLES = ['tenantAdmin', 'auditor'] as const;

@Component({
  selector: 'app-call-detail-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
    DurationPipe,
    TenantTimePipe,
    CallPlayerComponent,
    CallNotesComponent,
    CallAccessLogComponent,
    TranscriptPanelComponent,
    CallMetricsComponent,
  ],
  templateUrl: './call-detail.page.html',
  styleUrl: './call-detail.page.scss',
})
export class CallDetailPage {
  /** Route parameter :id and query ?play=1 (component input binding). */
  readonly id = input.required<string>();
  readonly play = input<string | undefined>(undefined);
  /** Query ?t=<ms>: start there and play (a transcript search hit links to the moment it was said). */
  readonly t = input<string | undefined>(undefined);

  private readonly api = inject(RecordingsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly location = inject(Location);
  private readonly router = inject(Router);
  private readonly transloco = inject(TranslocoService);
  private readonly player = viewChild(CallPlayerComponent);

  protected readonly lang = signal(this.transloco.getActiveLang());
  protected readonly placeLabel = placeLabel;
  protected readonly call = signal<CallDetail | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<{ status: number; text: string | null } | null>(null);
  protected readonly holdBusy = signal(false);
  protected readonly holdError = signal<{ text: string | null } | null>(null);
  protected readonly canEdit = computed(() => this.auth.hasAnyRole(EDIT_ROLES));
  protected readonly canHold = computed(() => this.auth.hasAnyRole(['tenantAdmin']));
  protected readonly canSeeAccess = computed(() => this.auth.hasAnyRole(ACCESS_LOG_ROLES));
  protected readonly transcriptEnabled = computed(() => !!this.auth.me()?.tenant.products.includes('flexvnote'));
  protected readonly startAt = computed(() => {
    const ms = Number(this.t());
    return this.t() && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
  });
  /** The player's position for the transcript panel to follow. */
  protected readonly positionMs = computed(() => (this.player()?.currentTime() ?? 0) * 1000);
  protected readonly dtmf = computed(() => {
    const c = this.call();
    return c ? dtmfRows(c.dtmf, c.answeredAt ?? c.startedAt) : [];
  });
  protected readonly quality = computed(() => qualityRows(this.call()?.quality ?? null, this.lang()));

  constructor() {
    useRecordingIcons();
    this.transloco.langChanges$.pipe(takeUntilDestroyed()).subscribe((l) => this.lang.set(l));
    effect(() => {
      const id = this.id();
      untracked(() => {
        this.call.set(null);
        this.load(id);
      });
    });
  }

  protected reload(): void {
    this.load(this.id());
  }

  private load(id: string): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.call(id).subscribe({
      next: (call) => {
        this.loading.set(false);
        this.call.set(call);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ status: apiStatus(err), text: apiMessage(err) });
      },
    });
  }

  /** Back to the results the user came from (their filters are in that URL), else to a fresh search. */
  protected back(): void {
    const state = this.location.getState() as { navigationId?: number } | null;
    if ((state?.navigationId ?? 1) > 1) this.location.back();
    else void this.router.navigate(['/recordings']);
  }

  protected seek(seconds: number): void {
    this.player()?.seekTo(seconds);
  }

  protected seekMs(ms: number): void {
    this.seek(ms / 1000);
  }

  /** Legal hold changes what retention may delete: asked first, applied only when the server agrees. */
  protected toggleHold(event: MatSlideToggleChange): void {
    const call = this.call();
    if (!call) return;
    const hold = event.checked;
    event.source.checked = call.legalHold; // stays as it is until confirmed and saved
    const data: ConfirmData = {
      titleKey: hold ? 'recordings.hold.setTitle' : 'recordings.hold.liftTitle',
      messageKey: hold ? 'recordings.hold.setConfirm' : 'recordings.hold.liftConfirm',
      confirmKey: hold ? 'recordings.hold.set' : 'recordings.hold.lift',
      danger: !hold,
    };
    this.dialog
      .open(ConfirmDialogComponent, { data })
      .afterClosed()
      .subscribe((ok) => {
        if (!ok) return;
        this.holdBusy.set(true);
        this.holdError.set(null);
        this.api.update(call.id, { legalHold: hold }).subscribe({
          next: () => {
            this.holdBusy.set(false);
            this.call.set({ ...call, legalHold: hold });
          },
          error: (err: unknown) => {
            this.holdBusy.set(false);
            this.holdError.set({ text: apiMessage(err) });
          },
        });
      });
  }
}

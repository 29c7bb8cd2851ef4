import { DatePipe } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { GrantDialogComponent } from './grant-dialog.component';
import { SupportGrant, SupportGrantsApi, grantState } from './support.api';

/** Support access grants (Art. 14.3-4): tenant admins grant and revoke, auditors read. */
@Component({
  selector: 'app-support-page',
  imports: [DatePipe, MatButtonModule, MatProgressBarModule, MatTableModule, TranslocoPipe, StatusBannerComponent],
  templateUrl: './support.page.html',
  styles: `
    .state {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 12px;
      font-size: 0.85rem;
      background: var(--mat-sys-surface-container-high);
    }
    .state.active {
      background: #d6f0dc;
      color: #0d5223;
    }
    .state.revoked {
      background: #fbe0de;
      color: #8c1d18;
    }
    .reason {
      max-width: 360px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `,
})
export class SupportPage {
  private readonly api = inject(SupportGrantsApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);

  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly columns = computed(() => [
    'state',
    'scope',
    'reason',
    'grantee',
    'createdAt',
    'expiresAt',
    ...(this.isAdmin() ? ['actions'] : []),
  ]);
  protected readonly grants = signal<SupportGrant[]>([]);
  protected readonly loaded = signal(false);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly state = grantState;

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.list().subscribe({
      next: (list) => {
        this.loading.set(false);
        this.loaded.set(true);
        this.grants.set(list);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected grant(): void {
    this.dialog
      .open(GrantDialogComponent, { width: '520px' })
      .afterClosed()
      .subscribe((granted) => {
        if (granted) this.load();
      });
  }

  protected revoke(grant: SupportGrant): void {
    const data: ConfirmData = {
      titleKey: 'admin.support.revokeTitle',
      messageKey: 'admin.support.revokeMessage',
      params: { reason: grant.reason },
      confirmKey: 'admin.support.revoke',
      danger: true,
    };
    this.dialog
      .open(ConfirmDialogComponent, { data })
      .afterClosed()
      .subscribe((ok) => {
        if (!ok) return;
        this.actionError.set(null);
        this.api.revoke(grant.id).subscribe({
          next: () => this.load(),
          error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
        });
      });
  }
}

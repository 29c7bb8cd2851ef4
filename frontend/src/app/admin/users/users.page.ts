import { DatePipe } from '@angular/common';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { filter, switchMap } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { User } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { SecretData, SecretDialogComponent } from '../../shared/secret-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { UserDialogComponent } from './user-dialog.component';
import { UsersService } from './users.service';

export type UserStatus = 'enabled' | 'disabled' | 'locked';

export function userStatus(u: User, now = Date.now()): UserStatus {
  if (u.disabled) return 'disabled';
  if (u.lockedUntil && new Date(u.lockedUntil).getTime() > now) return 'locked';
  return 'enabled';
}

@Component({
  selector: 'app-users-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatChipsModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './users.page.html',
})
export class UsersPage {
  private readonly users = inject(UsersService);
  private readonly dialog = inject(MatDialog);
  protected readonly meId = inject(AuthService).me()?.id;

  protected readonly columns = ['email', 'displayName', 'roles', 'extensions', 'status', 'lastLoginAt', 'actions'];
  protected readonly rows = signal<User[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly status = userStatus;

  constructor() {
    this.reload();
  }

  protected reload(): void {
    this.loading.set(true);
    this.users.list().subscribe({
      next: (list) => {
        this.rows.set(list);
        this.loading.set(false);
      },
      error: (err: unknown) => this.fail(err),
    });
  }

  protected create(): void {
    this.openEditor(null);
  }

  protected edit(user: User): void {
    this.openEditor(user);
  }

  private openEditor(user: User | null): void {
    this.dialog
      .open(UserDialogComponent, { data: user, width: '520px', disableClose: !user })
      .afterClosed()
      .pipe(filter(Boolean))
      .subscribe(() => this.reload());
  }

  protected toggleDisabled(user: User): void {
    this.error.set(null);
    this.users.update(user.id, { disabled: !user.disabled }).subscribe({
      next: () => this.reload(),
      error: (err: unknown) => this.fail(err),
    });
  }

  protected resetPassword(user: User): void {
    this.confirm({
      titleKey: 'users.resetTitle',
      messageKey: 'users.resetConfirm',
      params: { email: user.email },
      confirmKey: 'users.resetPassword',
    })
      .pipe(switchMap(() => this.users.resetPassword(user.id)))
      .subscribe({
        next: ({ temporaryPassword }) => {
          const data: SecretData = {
            titleKey: 'users.tempPasswordTitle',
            secret: temporaryPassword,
            warningKey: 'users.tempWarning',
          };
          this.dialog.open(SecretDialogComponent, { data, width: '520px', disableClose: true });
          this.reload();
        },
        error: (err: unknown) => this.fail(err),
      });
  }

  protected remove(user: User): void {
    this.confirm({
      titleKey: 'users.deleteTitle',
      messageKey: 'users.deleteConfirm',
      params: { email: user.email },
      confirmKey: 'common.delete',
      danger: true,
    })
      .pipe(switchMap(() => this.users.remove(user.id)))
      .subscribe({ next: () => this.reload(), error: (err: unknown) => this.fail(err) });
  }

  private confirm(data: ConfirmData) {
    return this.dialog
      .open(ConfirmDialogComponent, { data, width: '440px' })
      .afterClosed()
      .pipe(filter((ok): ok is true => ok === true));
  }

  private fail(err: unknown): void {
    this.loading.set(false);
    this.error.set({ text: apiMessage(err) });
  }
}

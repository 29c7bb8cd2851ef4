import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { formatTypedNumber } from '../../recordings/phone-input';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { CarrierLine, FlexdplayerApi } from '../flexdplayer.api';
import { FlexdUsers } from '../flexd-users';
import { LineDialogComponent, LineDialogData, LineSaved } from './line-dialog.component';

/** Carrier lines (the tenant's mobile numbers) and whose calls they are; a new line releases its held files. */
@Component({
  selector: 'app-flexd-lines-page',
  imports: [MatButtonModule, MatProgressBarModule, MatTableModule, TranslocoPipe, StatusBannerComponent],
  template: `
    <p class="muted">{{ 'flexdplayer.lines.intro' | transloco }}</p>
    @if (isAdmin()) {
      <div class="form-actions">
        <button mat-flat-button type="button" (click)="edit(null)" data-testid="line-create">
          {{ 'flexdplayer.lines.create' | transloco }}
        </button>
      </div>
    } @else {
      <p data-testid="flexd-read-only">{{ 'flexdplayer.readOnly' | transloco }}</p>
    }
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (error(); as e) {
      <app-status-banner kind="error" key="flexdplayer.loadFailed" [text]="e.text" />
      <button mat-stroked-button type="button" (click)="load()" data-testid="lines-retry">
        {{ 'flexdplayer.retry' | transloco }}
      </button>
    }
    @if (notice(); as n) {
      <app-status-banner kind="ok" key="flexdplayer.lines.released" [params]="{ n: n }" data-testid="line-released" />
    }
    @if (actionError(); as e) {
      <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
    }
    @if (loaded()) {
      <div class="table-wrap">
        <table mat-table [dataSource]="lines()" data-testid="lines-table">
          <caption class="cdk-visually-hidden">
            {{
              'flexdplayer.tabs.lines' | transloco
            }}
          </caption>
          <ng-container matColumnDef="number">
            <th mat-header-cell *matHeaderCellDef>{{ 'flexdplayer.lines.number' | transloco }}</th>
            <td mat-cell *matCellDef="let l">{{ format(l.e164) }}</td>
          </ng-container>
          <ng-container matColumnDef="label">
            <th mat-header-cell *matHeaderCellDef>{{ 'flexdplayer.lines.label' | transloco }}</th>
            <td mat-cell *matCellDef="let l">{{ l.label }}</td>
          </ng-container>
          <ng-container matColumnDef="user">
            <th mat-header-cell *matHeaderCellDef>{{ 'flexdplayer.lines.user' | transloco }}</th>
            <td mat-cell *matCellDef="let l">
              {{ l.userId ? users.name(l.userId) : ('flexdplayer.lines.noUser' | transloco) }}
            </td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.actions' | transloco }}</th>
            <td mat-cell *matCellDef="let l" class="actions-cell">
              <button mat-button type="button" (click)="edit(l)" [attr.data-testid]="'line-edit-' + l.id">
                {{ 'common.edit' | transloco }}
              </button>
              <button
                mat-button
                type="button"
                class="danger-text"
                (click)="remove(l)"
                [attr.data-testid]="'line-delete-' + l.id"
              >
                {{ 'common.delete' | transloco }}
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns()"></tr>
          <tr mat-row *matRowDef="let row; columns: columns()" [attr.data-testid]="'line-row-' + row.id"></tr>
          <tr class="mat-row" *matNoDataRow>
            <td class="mat-cell empty-cell" [attr.colspan]="columns().length" data-testid="lines-empty">
              {{ 'flexdplayer.lines.empty' | transloco }}
            </td>
          </tr>
        </table>
      </div>
    }
  `,
})
export class LinesPage {
  private readonly api = inject(FlexdplayerApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  protected readonly users = inject(FlexdUsers);
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly columns = computed(() => ['number', 'label', 'user', ...(this.isAdmin() ? ['actions'] : [])]);
  protected readonly lines = signal<CarrierLine[]>([]);
  protected readonly loaded = signal(false);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly notice = signal<number | null>(null);
  protected readonly format = formatTypedNumber;

  constructor() {
    this.load();
    this.users.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.lines().subscribe({
      next: (lines) => {
        this.loading.set(false);
        this.loaded.set(true);
        this.lines.set(lines);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected edit(line: CarrierLine | null): void {
    const data: LineDialogData = { line, users: this.users.list() };
    this.dialog
      .open<LineDialogComponent, LineDialogData, LineSaved>(LineDialogComponent, { data, width: '520px' })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.notice.set(saved.released ?? null);
        this.load();
      });
  }

  protected remove(line: CarrierLine): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'flexdplayer.lines.deleteTitle',
        messageKey: 'flexdplayer.lines.deleteMessage',
        params: { number: formatTypedNumber(line.e164) },
        confirmKey: 'common.delete',
        danger: true,
      },
      () => this.api.deleteLine(line.id),
    ).subscribe({
      next: () => this.load(),
      error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
    });
  }
}

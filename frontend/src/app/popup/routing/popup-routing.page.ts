import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { ManagedUser, UsersService } from '../../admin/users/users.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { NamedLine, PopupApi, RoutingView, problemLines } from '../popup.api';
import { POPUP_ANSWERERS } from '../popup.routes';
import type { Presence } from '../realtime/popup-protocol';

interface Row {
  user: ManagedUser;
  routing: RoutingView;
}

const lineId = (l: { siteId: string; lineName: string }) => `${l.siteId}\u0000${l.lineName}`;

/**
 * Who gets popups (tenant administrators): each answering user's extensions (set on the users
 * page), the named lines they answer and their 受付中/離席. Changes apply at once on every PC.
 */
@Component({
  selector: 'app-popup-routing-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  template: `
    <p class="muted">{{ 'popup.routing.intro' | transloco }}</p>
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (error(); as e) {
      <app-status-banner kind="error" key="popup.loadFailed" [text]="e.text" />
      <button mat-stroked-button type="button" (click)="load()">{{ 'popup.retry' | transloco }}</button>
    }
    @for (p of problems(); track $index) {
      <app-status-banner kind="error" [text]="p || null" [key]="p ? null : 'errors.generic'" />
    }
    @if (!loading() && !lines().length && !error()) {
      <app-status-banner kind="warn" key="popup.routing.noLines" data-testid="routing-no-lines" />
    }
    @if (rows().length) {
      <div class="table-wrap">
        <table mat-table [dataSource]="rows()" data-testid="routing-table">
          <caption class="cdk-visually-hidden">
            {{
              'popup.tabs.routing' | transloco
            }}
          </caption>
          <ng-container matColumnDef="user">
            <th mat-header-cell *matHeaderCellDef>{{ 'popup.routing.user' | transloco }}</th>
            <td mat-cell *matCellDef="let r">
              {{ r.user.displayName }}
              <div class="muted small">{{ r.user.email }}</div>
            </td>
          </ng-container>
          <ng-container matColumnDef="extensions">
            <th mat-header-cell *matHeaderCellDef>{{ 'popup.routing.extensions' | transloco }}</th>
            <td mat-cell *matCellDef="let r">
              {{ r.routing.extensions.join(', ') || '—' }}
            </td>
          </ng-container>
          <ng-container matColumnDef="lines">
            <th mat-header-cell *matHeaderCellDef>{{ 'popup.routing.lines' | transloco }}</th>
            <td mat-cell *matCellDef="let r">
              <mat-form-field subscriptSizing="dynamic" class="lines-field">
                <mat-label>{{ 'popup.routing.lines' | transloco }}</mat-label>
                <mat-select
                  multiple
                  [value]="selected(r.routing)"
                  (selectionChange)="setLines(r, $event.value)"
                  [disabled]="!lines().length"
                  [attr.data-testid]="'routing-lines-' + r.user.id"
                >
                  @for (l of lines(); track id(l)) {
                    <mat-option [value]="id(l)">{{ l.lineName }} ({{ l.siteName }})</mat-option>
                  }
                </mat-select>
              </mat-form-field>
            </td>
          </ng-container>
          <ng-container matColumnDef="presence">
            <th mat-header-cell *matHeaderCellDef>{{ 'popup.routing.presence' | transloco }}</th>
            <td mat-cell *matCellDef="let r">
              <button
                mat-stroked-button
                type="button"
                [attr.aria-pressed]="r.routing.presence === 'available'"
                (click)="togglePresence(r)"
                [attr.data-testid]="'routing-presence-' + r.user.id"
              >
                {{ 'popup.presence.' + r.routing.presence | transloco }}
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="routing-row"></tr>
        </table>
      </div>
      <p class="muted small">
        {{ 'popup.routing.extensionsHint' | transloco }}
        <a routerLink="/admin/users">{{ 'nav.users' | transloco }}</a>
      </p>
    }
  `,
  styles: `
    .lines-field {
      min-width: 260px;
    }
    .small {
      font-size: 12px;
    }
  `,
})
export class PopupRoutingPage {
  private readonly api = inject(PopupApi);
  private readonly users = inject(UsersService);
  protected readonly columns = ['user', 'extensions', 'lines', 'presence'];
  protected readonly rows = signal<Row[]>([]);
  protected readonly lines = signal<NamedLine[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly id = lineId;

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    forkJoin({
      lines: this.api.lines().pipe(map((r) => r.items)),
      rows: this.users.list().pipe(
        map((list) => list.filter((u) => !u.disabled && u.roles.some((r) => POPUP_ANSWERERS.includes(r)))),
        switchMap((list) =>
          list.length
            ? forkJoin(list.map((user) => this.api.userRouting(user.id).pipe(map((routing) => ({ user, routing })))))
            : of([] as Row[]),
        ),
      ),
    })
      .pipe(
        catchError((err: unknown) => {
          this.error.set({ text: apiMessage(err) });
          return of(null);
        }),
      )
      .subscribe((loaded) => {
        this.loading.set(false);
        if (!loaded) return;
        this.lines.set(loaded.lines);
        this.rows.set(loaded.rows);
      });
  }

  protected selected(routing: RoutingView): string[] {
    return routing.lines.map(lineId);
  }

  protected setLines(row: Row, ids: string[]): void {
    const lines = this.lines()
      .filter((l) => ids.includes(lineId(l)))
      .map((l) => ({ siteId: l.siteId, lineName: l.lineName }));
    this.api.setUserLines(row.user.id, lines).subscribe({
      next: (routing) => this.replace(row, routing),
      error: (err: unknown) => this.problems.set(problemLines(err).length ? problemLines(err) : ['']),
    });
  }

  protected togglePresence(row: Row): void {
    const next: Presence = row.routing.presence === 'available' ? 'away' : 'available';
    this.api.setUserPresence(row.user.id, next).subscribe({
      next: (routing) => this.replace(row, routing),
      error: (err: unknown) => this.problems.set(problemLines(err).length ? problemLines(err) : ['']),
    });
  }

  private replace(row: Row, routing: RoutingView): void {
    this.problems.set([]);
    this.rows.update((rows) => rows.map((r) => (r.user.id === row.user.id ? { ...r, routing } : r)));
  }
}

import { DatePipe, DecimalPipe } from '@angular/common';
import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { Subject, catchError, filter, map, merge, of, startWith, switchMap, tap, timer } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { ConfirmData, afterConfirm } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { formatBytes } from '../storage/bytes';
import { FlexlogSitesApi, SavedSite, Site, secondsSince, siteState } from './flexlog-sites.api';
import { SiteFormDialogComponent, SiteFormData } from './site-form-dialog.component';
import { SiteKeysData, SiteKeysDialogComponent } from './site-keys-dialog.component';

/** The capture box reports every 10 s: polling at half that shows each heartbeat soon after it lands. */
export const POLL_MS = 5_000;

/** FlexLog sites with their live capture status; tenant admins edit sites and keys, auditors read. */
@Component({
  selector: 'app-flexlog-sites-page',
  imports: [
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './flexlog-sites.page.html',
  styleUrl: './flexlog-sites.page.scss',
})
export class FlexlogSitesPage {
  private readonly api = inject(FlexlogSitesApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly refreshNow = new Subject<void>();

  protected readonly canManage = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly columns = ['state', 'name', 'packets', 'drops', 'activeCalls', 'spool', 'lastUpload', 'actions'];
  protected readonly sites = signal<Site[] | null>(null);
  protected readonly loading = signal(false);
  /** The first load failed: nothing to show, so the page says what failed and offers a retry. */
  protected readonly loadError = signal<{ text: string | null } | null>(null);
  /** A later refresh failed: the figures shown are from `updatedAt`, and polling goes on. */
  protected readonly refreshError = signal(false);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly updatedAt = signal<number | null>(null);
  protected readonly state = siteState;
  protected readonly bytes = formatBytes;

  constructor() {
    // A hidden tab skips its polls; the first load, a retry or a change asks at once. switchMap drops
    // an answer still on its way when a newer request starts, so an old list never overwrites a new one.
    merge(timer(POLL_MS, POLL_MS).pipe(filter(() => !document.hidden)), this.refreshNow.pipe(startWith(undefined)))
      .pipe(
        tap(() => this.loading.set(this.sites() === null)),
        switchMap(() =>
          this.api.list().pipe(
            map((list) => ({ list, err: null as unknown })),
            catchError((err: unknown) => of({ list: null, err })),
          ),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(({ list, err }) => this.show(list, err));
  }

  protected refresh(): void {
    this.refreshNow.next();
  }

  private show(list: Site[] | null, err: unknown): void {
    this.loading.set(false);
    if (list) {
      this.sites.set(list);
      this.loadError.set(null);
      this.refreshError.set(false);
      this.updatedAt.set(Date.now());
    } else if (this.sites() === null) this.loadError.set({ text: apiMessage(err) });
    else this.refreshError.set(true);
  }

  protected ago(iso: string | null): number | null {
    return secondsSince(iso, this.updatedAt() ?? Date.now());
  }

  protected edit(site: Site | null): void {
    this.dialog
      .open<SiteFormDialogComponent, SiteFormData, SavedSite | null>(SiteFormDialogComponent, {
        data: site,
        width: '760px',
        maxWidth: '95vw',
        maxHeight: '90vh',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (saved) this.refresh();
      });
  }

  protected openKeys(site: Site): void {
    const data: SiteKeysData = { site, canManage: this.canManage() };
    this.dialog.open(SiteKeysDialogComponent, { data, width: '720px', maxWidth: '95vw' });
  }

  protected remove(site: Site): void {
    const data: ConfirmData = {
      titleKey: 'admin.flexlogSites.deleteTitle',
      messageKey: 'admin.flexlogSites.deleteConfirm',
      params: { name: site.name },
      confirmKey: 'common.delete',
      danger: true,
    };
    this.actionError.set(null);
    afterConfirm(this.dialog, data, () => this.api.remove(site.id)).subscribe({
      next: () => this.refresh(),
      error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
    });
  }
}

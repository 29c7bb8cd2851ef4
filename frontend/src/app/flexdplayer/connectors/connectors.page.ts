import { DatePipe } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, forkJoin, of } from 'rxjs';
import { Job } from '../../admin/storage/storage.api';
import { JobProgressComponent } from '../../admin/storage/job-progress.component';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Connector, FlexdplayerApi, MappingProfile, ScanSummary, SftpServerStatus } from '../flexdplayer.api';
import { ConnectionDetail, ConnectionDetailsDialogComponent } from './connection-details-dialog.component';
import { ConnectorDialogComponent, ConnectorDialogData, ConnectorSaved } from './connector-dialog.component';

/** The built-in SFTP server's port (sftp-drop-server.ts default) until the API reports the configured one. */

interface ScanView {
  connectorName: string;
  summary?: ScanSummary;
  job?: Job;
}

/** Carrier connectors: list, create/edit per type, scan now, push token; auditors read. */
@Component({
  selector: 'app-flexd-connectors-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoPipe,
    JobProgressComponent,
    StatusBannerComponent,
  ],
  templateUrl: './connectors.page.html',
  styles: `
    .summary-item {
      display: inline-block;
      margin-right: 20px;
    }
    .mat-column-type,
    .mat-column-enabled,
    .mat-column-lastScanAt {
      white-space: nowrap;
    }
    .mat-column-name {
      min-width: 160px;
    }
    .mat-column-profile {
      min-width: 120px;
    }
    td.mat-column-actions {
      white-space: normal;
    }
    .row-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0 4px;
    }
  `,
})
export class ConnectorsPage {
  private readonly api = inject(FlexdplayerApi);
  private readonly sftpServer = signal<SftpServerStatus | null>(null);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly columns = computed(() => [
    'name',
    'type',
    'enabled',
    'profile',
    'lastScanAt',
    ...(this.isAdmin() ? ['actions'] : []),
  ]);
  protected readonly connectors = signal<Connector[]>([]);
  protected readonly profiles = signal<MappingProfile[]>([]);
  protected readonly loaded = signal(false);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly scanning = signal<string | null>(null);
  protected readonly scan = signal<ScanView | null>(null);
  protected readonly summaryKeys: (keyof ScanSummary)[] = [
    'imported',
    'duplicates',
    'quarantined',
    'failed',
    'pending',
    'deferred',
    'ignored',
  ];

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    // Where carriers deliver: shown with an SFTP account's details; the list works without it.
    const sftpServer = this.api.sftpServer().pipe(catchError(() => of(null)));
    forkJoin([this.api.connectors(), this.api.profiles(), sftpServer]).subscribe({
      next: ([connectors, profiles, server]) => {
        this.loading.set(false);
        this.loaded.set(true);
        this.connectors.set(connectors);
        this.profiles.set(profiles);
        this.sftpServer.set(server);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected profileName(id: string): string {
    return this.profiles().find((p) => p.id === id)?.name ?? id;
  }

  protected edit(connector: Connector | null): void {
    const data: ConnectorDialogData = { connector, profiles: this.profiles() };
    this.dialog
      .open<ConnectorDialogComponent, ConnectorDialogData, ConnectorSaved>(ConnectorDialogComponent, {
        data,
        width: '600px',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.load();
        const details = this.detailsOf(saved);
        if (details.length) this.showDetails(details);
      });
  }

  /** After a save: the push URL and its new token, or the SFTP account with the password just set. */
  private detailsOf(saved: ConnectorSaved): ConnectionDetail[] {
    const c = saved.connector;
    if (c.type === 'https-push' && saved.pushToken) return this.pushDetails(c, saved.pushToken);
    if (c.type === 'sftp-drop' && c.sftpDrop) {
      return [
        { labelKey: 'flexdplayer.connectors.host', value: location.hostname, testId: 'detail-host' },
        {
          labelKey: 'flexdplayer.connectors.port',
          value: this.sftpServer()?.port != null ? String(this.sftpServer()?.port) : '—',
          testId: 'detail-port',
        },
        {
          labelKey: 'flexdplayer.connectors.hostKey',
          value: this.sftpServer()?.hostKeyFingerprint ?? '—',
          testId: 'detail-host-key',
        },
        { labelKey: 'flexdplayer.connectors.sftpUsername', value: c.sftpDrop.username ?? '', testId: 'detail-user' },
        ...(saved.sftpPassword
          ? [
              {
                labelKey: 'flexdplayer.connectors.password',
                value: saved.sftpPassword,
                secret: true,
                testId: 'detail-password',
              },
            ]
          : []),
      ];
    }
    return [];
  }

  private pushDetails(c: Connector, token: string): ConnectionDetail[] {
    return [
      {
        labelKey: 'flexdplayer.connectors.pushUrl',
        value: `${location.origin}${c.httpsPush?.path ?? `/api/v1/flexdplayer/push/${c.id}`}`,
        testId: 'detail-push-url',
      },
      { labelKey: 'flexdplayer.connectors.pushToken', value: token, secret: true, testId: 'detail-push-token' },
    ];
  }

  private showDetails(details: ConnectionDetail[]): void {
    this.dialog.open(ConnectionDetailsDialogComponent, { data: details, width: '640px' });
  }

  protected rotateToken(c: Connector): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'flexdplayer.connectors.rotateTitle',
        messageKey: 'flexdplayer.connectors.rotateMessage',
        params: { name: c.name },
        confirmKey: 'flexdplayer.connectors.rotate',
        danger: true,
      },
      () => this.api.rotatePushToken(c.id),
    ).subscribe({
      next: ({ pushToken }) => this.showDetails(this.pushDetails(c, pushToken)),
      error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
    });
  }

  protected scanNow(c: Connector): void {
    this.scanning.set(c.id);
    this.actionError.set(null);
    this.scan.set(null);
    this.api.scan(c.id).subscribe({
      next: (result) => {
        this.scanning.set(null);
        this.scan.set({ connectorName: c.name, ...result });
        if ('summary' in result) this.load();
      },
      error: (err: unknown) => {
        this.scanning.set(null);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }

  protected remove(c: Connector): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'flexdplayer.connectors.deleteTitle',
        messageKey: 'flexdplayer.connectors.deleteMessage',
        params: { name: c.name },
        confirmKey: 'common.delete',
        danger: true,
      },
      () => this.api.deleteConnector(c.id),
    ).subscribe({
      next: () => this.load(),
      error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
    });
  }
}

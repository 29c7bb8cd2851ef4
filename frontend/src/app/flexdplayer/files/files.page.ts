import { DatePipe } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { forkJoin } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { formatTypedNumber } from '../../recordings/phone-input';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { CarrierLine, DeliveredFile, FILE_LISTS, FileList, FlexdplayerApi, ImportOutcome } from '../flexdplayer.api';
import { FlexdUsers } from '../flexd-users';
import { LineDialogComponent, LineDialogData, LineSaved } from '../lines/line-dialog.component';
import { AssignDialogComponent, AssignDialogData, AssignResult } from './assign-dialog.component';

/** How many recent imports the third list shows. */
const RECENT_IMPORTS = 20;

const COLUMNS: Record<FileList, string[]> = {
  failed: ['createdAt', 'fileName', 'reason'],
  quarantined: ['createdAt', 'fileName', 'ownNumber', 'otherNumber'],
  imported: ['createdAt', 'fileName', 'ownNumber', 'otherNumber', 'call'],
};

/** Delivered files people act on: failed (reason, retry), quarantined (assign to a line) and recent imports. */
@Component({
  selector: 'app-flexd-files-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatProgressBarModule,
    MatTableModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './files.page.html',
  styles: `
    .reason {
      max-width: 420px;
      overflow-wrap: anywhere;
      color: var(--mat-sys-error);
    }
    .mat-column-createdAt,
    .mat-column-ownNumber,
    .mat-column-otherNumber,
    .mat-column-call {
      white-space: nowrap;
    }
    .file-name {
      overflow-wrap: anywhere;
    }
  `,
})
export class FilesPage {
  private readonly api = inject(FlexdplayerApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  private readonly users = inject(FlexdUsers);
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly lists = FILE_LISTS;
  protected readonly files = signal<Record<FileList, DeliveredFile[]> | null>(null);
  protected readonly lines = signal<CarrierLine[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly outcome = signal<ImportOutcome | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly format = (n: string | null | undefined) => (n ? formatTypedNumber(n) : '');

  constructor() {
    this.load();
    this.users.load();
  }

  protected columns(list: FileList): string[] {
    const actions = list !== 'imported' && this.isAdmin() ? ['actions'] : [];
    return [...COLUMNS[list], ...actions];
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    forkJoin({
      failed: this.api.files('failed'),
      quarantined: this.api.files('quarantined'),
      imported: this.api.files('imported', RECENT_IMPORTS),
      lines: this.api.lines(),
    }).subscribe({
      next: ({ lines, ...files }) => {
        this.loading.set(false);
        this.files.set(files);
        this.lines.set(lines);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected retry(file: DeliveredFile): void {
    this.busy.set(file.id);
    this.actionError.set(null);
    this.api.retryFile(file.id).subscribe({
      next: (outcome) => this.done(outcome),
      error: (err: unknown) => {
        this.busy.set(null);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }

  protected assign(file: DeliveredFile): void {
    const data: AssignDialogData = { file, lines: this.lines() };
    this.dialog
      .open<AssignDialogComponent, AssignDialogData, AssignResult>(AssignDialogComponent, { data, width: '520px' })
      .afterClosed()
      .subscribe((result) => {
        if (result === 'new-line') this.newLine(file);
        else if (result) this.done(result);
      });
  }

  /** A line for the file's number: creating it imports every held file of that number. */
  private newLine(file: DeliveredFile): void {
    const data: LineDialogData = { line: null, users: this.users.list(), number: file.ownNumber ?? '' };
    this.dialog
      .open<LineDialogComponent, LineDialogData, LineSaved>(LineDialogComponent, { data, width: '520px' })
      .afterClosed()
      .subscribe((line) => {
        if (line) this.load();
      });
  }

  private done(outcome: ImportOutcome): void {
    this.busy.set(null);
    this.outcome.set(outcome);
    this.load();
  }
}

import { Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTabsModule } from '@angular/material/tabs';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { VnoteApi } from '../vnote-api.service';
import { DICTIONARY_KINDS, Dictionary, DictionaryBody, DictionaryKind } from '../vnote.types';
import { MAX_ENTRIES, parseEntries } from './dictionary-entries';

/** Who may change dictionaries (the dictionaries API's write roles); the others read them. */
export const DICTIONARY_WRITERS = ['tenantAdmin', 'supervisor'] as const;

/** Keyword dictionaries, one tab per kind: NG words, required phrases, competitor names, hotwords. */
@Component({
  selector: 'app-vnote-dictionaries-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    MatTabsModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './dictionaries.page.html',
  styleUrl: './dictionaries.page.scss',
})
export class DictionariesPage {
  private readonly api = inject(VnoteApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  protected readonly kinds = DICTIONARY_KINDS;
  protected readonly canWrite = computed(() => this.auth.hasAnyRole(DICTIONARY_WRITERS));
  protected readonly all = signal<Dictionary[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly busy = signal<string | null>(null);
  /** Per dictionary: the single-entry input and the bulk paste box. */
  protected readonly entryInput: Record<string, string> = {};
  protected readonly pasteInput: Record<string, string> = {};
  protected readonly pasteOpen = signal<string | null>(null);
  protected readonly tooLong = signal<{ id: string; entries: string[] } | null>(null);
  protected newName: Record<DictionaryKind, string> = { ng: '', required: '', competitor: '', hotword: '' };

  constructor() {
    this.load();
  }

  protected ofKind(kind: DictionaryKind): Dictionary[] {
    return this.all().filter((d) => d.kind === kind);
  }

  protected load(): void {
    this.loading.set(true);
    this.api.dictionaries().subscribe({
      next: (list) => {
        this.loading.set(false);
        this.error.set(null);
        this.all.set(list);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected create(kind: DictionaryKind): void {
    const name = this.newName[kind].trim();
    if (!name) return;
    this.save('new-' + kind, this.api.createDictionary({ kind, name, entries: [], enabled: true }), () => {
      this.newName[kind] = '';
    });
  }

  protected addOne(d: Dictionary): void {
    const { added, tooLong } = parseEntries(this.entryInput[d.id] ?? '', d.entries);
    this.tooLong.set(tooLong.length ? { id: d.id, entries: tooLong } : null);
    if (!added.length) return;
    this.patch(d, { entries: [...d.entries, ...added] }, () => (this.entryInput[d.id] = ''));
  }

  protected addPasted(d: Dictionary): void {
    const { added, tooLong } = parseEntries(this.pasteInput[d.id] ?? '', d.entries);
    this.tooLong.set(tooLong.length ? { id: d.id, entries: tooLong } : null);
    if (!added.length) return;
    this.patch(d, { entries: [...d.entries, ...added].slice(0, MAX_ENTRIES) }, () => {
      this.pasteInput[d.id] = '';
      this.pasteOpen.set(null);
    });
  }

  protected remove(d: Dictionary, entry: string): void {
    this.patch(d, { entries: d.entries.filter((e) => e !== entry) });
  }

  protected setEnabled(d: Dictionary, enabled: boolean): void {
    this.patch(d, { enabled });
  }

  protected deleteDictionary(d: Dictionary): void {
    const data: ConfirmData = {
      titleKey: 'vnote.dictionaries.deleteTitle',
      messageKey: 'vnote.dictionaries.deleteConfirm',
      params: { name: d.name },
      confirmKey: 'common.delete',
      danger: true,
    };
    this.dialog
      .open(ConfirmDialogComponent, { data })
      .afterClosed()
      .subscribe((ok) => {
        if (!ok) return;
        this.busy.set(d.id);
        this.api.deleteDictionary(d.id).subscribe({
          next: () => {
            this.busy.set(null);
            this.all.update((list) => list.filter((x) => x.id !== d.id));
          },
          error: (err: unknown) => {
            this.busy.set(null);
            this.actionError.set({ text: apiMessage(err) });
          },
        });
      });
  }

  private patch(d: Dictionary, body: DictionaryBody, done?: () => void): void {
    this.save(d.id, this.api.updateDictionary(d.id, body), done);
  }

  private save(key: string, request: ReturnType<VnoteApi['createDictionary']>, done?: () => void): void {
    this.busy.set(key);
    this.actionError.set(null);
    request.subscribe({
      next: (saved) => {
        this.busy.set(null);
        this.all.update((list) => {
          const i = list.findIndex((x) => x.id === saved.id);
          return i >= 0 ? list.map((x) => (x.id === saved.id ? saved : x)) : [...list, saved];
        });
        done?.();
      },
      error: (err: unknown) => {
        this.busy.set(null);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }
}

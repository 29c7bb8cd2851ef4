import { Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthService } from '../../core/auth.service';
import { LanguageService } from '../../core/language.service';
import { DurationPipe, TenantTimePipe } from '../../recordings/tenant-time';
import { RECORDING_ROLES } from '../../recordings/recordings.routes';
import { CustomerDialogComponent, CustomerDialogData } from '../directory/customer-dialog.component';
import { Customer, PopupApi, problemLines } from '../popup.api';
import { DirectoryRulesStore } from '../directory/directory-rules.store';
import type { StackedCall } from './call-stack';
import type { CustomerCard } from './popup-protocol';

/** One call's popup: who calls on which line, the customer card(s), the last calls and a memo. */
@Component({
  selector: 'app-popup-card',
  imports: [FormsModule, MatButtonModule, MatIconModule, RouterLink, TranslocoPipe, TenantTimePipe, DurationPipe],
  templateUrl: './popup-card.component.html',
  styleUrl: './popup-card.component.scss',
})
export class PopupCardComponent {
  private readonly api = inject(PopupApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  private readonly rules = inject(DirectoryRulesStore);
  protected readonly lang = inject(LanguageService).lang;
  readonly entry = input.required<StackedCall>();
  readonly dismissed = output<string>();

  protected readonly call = computed(() => this.entry().call);
  /** Customers registered from this popup (該当者なし) join the ones the server matched. */
  private readonly registered = signal<CustomerCard[]>([]);
  protected readonly customers = computed(() => [...this.call().customers, ...this.registered()]);
  private readonly chosenId = signal<string | null>(null);
  protected readonly chosen = computed(() => {
    const list = this.customers();
    return list.find((c) => c.id === this.chosenId()) ?? (list.length === 1 ? list[0] : null);
  });
  protected readonly answeredByMe = computed(() => this.entry().answeredBy?.userId === this.auth.me()?.id);
  protected readonly canRegister = computed(() => this.auth.hasAnyRole(['tenantAdmin', 'supervisor']));
  /** Call detail is a recording screen: its roles and a recording product (the route's own guards). */
  protected readonly canOpenRecordings = computed(() => {
    const me = this.auth.me();
    const products = me?.tenant.products ?? [];
    return this.auth.hasAnyRole(RECORDING_ROLES) && (products.includes('flexlog') || products.includes('flexdplayer'));
  });

  protected memo = '';
  protected readonly memoState = signal<'idle' | 'saving' | 'saved' | 'error'>('idle');
  protected readonly memoError = signal<string | null>(null);

  protected choose(id: string): void {
    this.chosenId.set(id);
  }

  protected saveMemo(): void {
    const text = this.memo.trim();
    if (!text) return;
    this.memoState.set('saving');
    this.memoError.set(null);
    this.api.saveMemo(this.call().siteId, this.call().sipCallId, text).subscribe({
      next: () => this.memoState.set('saved'),
      error: (err: unknown) => {
        this.memoState.set('error');
        this.memoError.set(problemLines(err).join(' ') || null);
      },
    });
  }

  protected memoChanged(): void {
    if (this.memoState() === 'saved') this.memoState.set('idle');
  }

  protected register(): void {
    this.rules.load().subscribe(({ ranks, fields }) => {
      const data: CustomerDialogData = { customer: null, ranks, fields, number: this.call().number.display };
      this.dialog
        .open<CustomerDialogComponent, CustomerDialogData, Customer>(CustomerDialogComponent, { data, width: '560px' })
        .afterClosed()
        .subscribe((saved) => {
          if (!saved) return;
          this.registered.update((list) => [...list, saved]);
          this.chosenId.set(saved.id);
        });
    });
  }
}

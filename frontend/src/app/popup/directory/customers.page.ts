import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { Subject, debounceTime, distinctUntilChanged, switchMap, tap, catchError, of } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Customer, CustomerPage, PopupApi } from '../popup.api';
import { CustomerDialogComponent, CustomerDialogData } from './customer-dialog.component';
import { DirectoryRulesStore } from './directory-rules.store';

const PAGE_SIZE = 50;

/** The customer directory: search by name, kana, company or any digits of a number; create, edit, delete, export. */
@Component({
  selector: 'app-popup-customers-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './customers.page.html',
  styleUrl: './customers.page.scss',
})
export class CustomersPage {
  private readonly api = inject(PopupApi);
  private readonly dialog = inject(MatDialog);
  private readonly rules = inject(DirectoryRulesStore);
  private readonly auth = inject(AuthService);
  protected readonly canWrite = computed(() => this.auth.hasAnyRole(['tenantAdmin', 'supervisor']));
  protected readonly columns = computed(() => [
    'name',
    'company',
    'numbers',
    'rank',
    'tags',
    ...(this.canWrite() ? ['actions'] : []),
  ]);
  protected readonly page = signal<CustomerPage | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected query = '';
  private pageIndex = 0;
  private readonly reloads = new Subject<void>();
  private readonly typed = new Subject<string>();

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.reloads
      .pipe(
        tap(() => {
          this.loading.set(true);
          this.error.set(null);
        }),
        // The newest search wins: an answer to an older query never overwrites it.
        switchMap(() =>
          this.api.customers(this.query, this.pageIndex + 1, PAGE_SIZE).pipe(
            catchError((err: unknown) => {
              this.error.set({ text: apiMessage(err) });
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((page) => {
        this.loading.set(false);
        if (page) this.page.set(page);
      });
    this.typed.pipe(debounceTime(250), distinctUntilChanged(), takeUntilDestroyed(destroyRef)).subscribe(() => {
      this.pageIndex = 0;
      this.reloads.next();
    });
    this.reloads.next();
  }

  protected search(value: string): void {
    this.query = value;
    this.typed.next(value);
  }

  protected goTo(page: number): void {
    this.pageIndex = page - 1;
    this.reloads.next();
  }

  protected reload(): void {
    this.reloads.next();
  }

  protected edit(customer: Customer | null): void {
    this.notice.set(null);
    this.rules.load().subscribe(({ ranks, fields }) => {
      this.dialog
        .open<CustomerDialogComponent, CustomerDialogData, Customer>(CustomerDialogComponent, {
          data: { customer, ranks, fields },
          width: '600px',
        })
        .afterClosed()
        .subscribe((saved) => {
          if (!saved) return;
          this.notice.set(saved.name);
          this.reloads.next();
        });
    });
  }

  protected remove(customer: Customer): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'popup.customers.deleteTitle',
        messageKey: 'popup.customers.deleteMessage',
        params: { name: customer.name },
        confirmKey: 'common.delete',
        danger: true,
      },
      () => this.api.deleteCustomer(customer.id),
    ).subscribe({
      next: () => this.reloads.next(),
      error: (err: unknown) => this.error.set({ text: apiMessage(err) }),
    });
  }

  /** Downloads the whole directory as CSV for Excel (UTF-8 with BOM, or Shift_JIS for older Excel). */
  protected exportCsv(encoding: 'utf-8-bom' | 'shift_jis'): void {
    this.api.exportCsv(encoding).subscribe({
      next: (res) => {
        const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'customers.csv';
        const url = URL.createObjectURL(res.body as Blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      error: (err: unknown) => this.error.set({ text: apiMessage(err) }),
    });
  }
}

import { DatePipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { filter, switchMap } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { ApiKey, CreatedApiKey } from '../../core/api.types';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { SecretData, SecretDialogComponent } from '../../shared/secret-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';

const BASE = '/api/v1/api-keys';

@Component({
  selector: 'app-api-keys-page',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  templateUrl: './api-keys.page.html',
})
export class ApiKeysPage {
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);

  protected readonly columns = ['name', 'prefix', 'createdAt', 'lastUsedAt', 'actions'];
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly busy = signal(false);
  protected readonly name = new FormControl('', { nonNullable: true, validators: Validators.required });
  /** The form directive makes Enter and the button submit through ngSubmit, not a page reload. */
  protected readonly form = new FormGroup({ name: this.name });

  constructor() {
    this.reload();
  }

  private reload(): void {
    this.http.get<ApiKey[]>(BASE).subscribe({
      next: (k) => this.keys.set(k),
      error: (err: unknown) => this.error.set({ text: apiMessage(err) }),
    });
  }

  protected create(): void {
    if (this.name.invalid) {
      this.name.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.http.post<CreatedApiKey>(BASE, { name: this.name.value.trim() }).subscribe({
      next: (created) => {
        this.busy.set(false);
        this.name.reset();
        const data: SecretData = {
          titleKey: 'apiKeys.createdTitle',
          secret: created.key,
          warningKey: 'apiKeys.showOnce',
        };
        this.dialog.open(SecretDialogComponent, { data, width: '560px', disableClose: true });
        this.reload();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected revoke(key: ApiKey): void {
    const data: ConfirmData = {
      titleKey: 'apiKeys.revokeTitle',
      messageKey: 'apiKeys.revokeConfirm',
      params: { name: key.name },
      confirmKey: 'apiKeys.revoke',
      danger: true,
    };
    this.dialog
      .open(ConfirmDialogComponent, { data, width: '440px' })
      .afterClosed()
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => this.http.delete(`${BASE}/${key.id}`)),
      )
      .subscribe({ next: () => this.reload(), error: (err: unknown) => this.error.set({ text: apiMessage(err) }) });
  }
}

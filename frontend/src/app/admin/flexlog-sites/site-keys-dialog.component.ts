import { DatePipe } from '@angular/common';
import { Component, inject, signal, viewChild } from '@angular/core';
import { FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { ApiKey, CreatedApiKey } from '../../core/api.types';
import { ConfirmData, afterConfirm } from '../../shared/confirm-dialog.component';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { SecretRevealComponent } from '../../shared/secret-reveal.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { FlexlogSitesApi, Site } from './flexlog-sites.api';

export interface SiteKeysData {
  site: Site;
  /** Tenant admins make and revoke keys; auditors only see which exist. */
  canManage: boolean;
}

/** The API keys of one site: the capture box authenticates with one, and the key decides the site. */
@Component({
  selector: 'app-site-keys-dialog',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
    FieldErrorComponent,
    SecretRevealComponent,
    StatusBannerComponent,
  ],
  templateUrl: './site-keys-dialog.component.html',
  styles: `
    .keys {
      width: 100%;
      border-collapse: collapse;
      margin: 8px 0 16px;
    }
    .keys th,
    .keys td {
      text-align: left;
      padding: 6px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .created {
      margin-bottom: 16px;
    }
  `,
})
export class SiteKeysDialogComponent {
  private readonly api = inject(FlexlogSitesApi);
  private readonly dialog = inject(MatDialog);
  protected readonly data = inject<SiteKeysData>(MAT_DIALOG_DATA);

  protected readonly keys = signal<ApiKey[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly busy = signal(false);
  protected readonly name = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(100)],
  });
  /** A form directive on the <form>: without one, submitting would be the browser's own (a page reload). */
  protected readonly keyForm = new FormGroup({ name: this.name });
  private readonly keyFormDirective = viewChild(FormGroupDirective);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api.keys(this.data.site.id).subscribe({
      next: (keys) => {
        this.loading.set(false);
        this.keys.set(keys);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.loadError.set({ text: apiMessage(err) });
      },
    });
  }

  protected create(): void {
    if (this.name.invalid) {
      this.name.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.actionError.set(null);
    this.api.createKey(this.data.site.id, this.name.value.trim()).subscribe({
      next: (key) => {
        this.busy.set(false);
        this.created.set(key);
        // Also clears the form's "submitted" state, or the emptied field would show "required" at once.
        this.keyFormDirective()?.resetForm();
        this.load();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }

  protected revoke(key: ApiKey): void {
    const data: ConfirmData = {
      titleKey: 'admin.flexlogSites.revokeTitle',
      messageKey: 'admin.flexlogSites.revokeConfirm',
      params: { name: key.name, site: this.data.site.name },
      confirmKey: 'apiKeys.revoke',
      danger: true,
    };
    this.actionError.set(null);
    afterConfirm(this.dialog, data, () => this.api.revokeKey(this.data.site.id, key.id)).subscribe({
      next: () => {
        if (this.created()?.id === key.id) this.created.set(null);
        this.load();
      },
      error: (err: unknown) => this.actionError.set({ text: apiMessage(err) }),
    });
  }
}

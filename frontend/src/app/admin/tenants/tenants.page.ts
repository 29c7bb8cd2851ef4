import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { PRODUCTS, Product, TenantSummary } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { passwordPolicyValidator } from '../../shared/password-policy';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { timeZoneOptions } from '../../shared/time-zones';

const BASE = '/api/v1/tenants';

/** Vendor view (hosted multi-tenant mode): list tenants and create one with its first admin. */
@Component({
  selector: 'app-tenants-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    TranslocoPipe,
    FieldErrorComponent,
    ResultBannerComponent,
  ],
  templateUrl: './tenants.page.html',
})
export class TenantsPage {
  private readonly http = inject(HttpClient);

  protected readonly columns = ['name', 'products', 'timeZone'];
  protected readonly productOptions = PRODUCTS;
  protected readonly zones = timeZoneOptions();
  protected readonly tenants = signal<TenantSummary[]>([]);
  protected readonly busy = signal(false);
  protected readonly result = signal<SaveResult | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    products: [['flexlog'] as Product[], Validators.required],
    timeZone: ['Asia/Tokyo'],
    email: ['', [Validators.required, Validators.email]],
    displayName: ['', Validators.required],
    password: ['', [Validators.required, passwordPolicyValidator('email')]],
  });

  constructor() {
    this.reload();
  }

  private reload(): void {
    this.http.get<TenantSummary[]>(BASE).subscribe({
      next: (t) => this.tenants.set(t),
      error: (err: unknown) => this.result.set({ ok: false, text: apiMessage(err) }),
    });
  }

  protected create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const body = {
      name: v.name.trim(),
      products: v.products,
      timeZone: v.timeZone,
      admin: { email: v.email.trim(), displayName: v.displayName.trim(), password: v.password },
    };
    this.busy.set(true);
    this.result.set(null);
    this.http.post(BASE, body).subscribe({
      next: () => {
        this.busy.set(false);
        this.form.reset();
        this.result.set({ ok: true, text: null });
        this.reload();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

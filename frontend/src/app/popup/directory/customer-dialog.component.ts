import { Component, inject, signal } from '@angular/core';
import { FormArray, FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Customer, CustomerBody, FieldDefinition, PopupApi, problemLines } from '../popup.api';
import type { RankView } from '../realtime/popup-protocol';

export interface CustomerDialogData {
  customer: Customer | null;
  ranks: RankView[];
  fields: FieldDefinition[];
  /** 該当者なし: the caller's number to start a new customer with. */
  number?: string;
}

const MAX_NUMBERS = 10;
const blankToNull = (s: string) => (s.trim() ? s.trim() : null);

/** Creates or edits a customer: several numbers, rank, tags, the tenant's custom fields and a memo. */
@Component({
  selector: 'app-customer-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  template: `
    <h2 mat-dialog-title>
      {{ (data.customer ? 'popup.customers.editTitle' : 'popup.customers.createTitle') | transloco }}
    </h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="form-column dialog-form">
        @for (e of errors(); track $index) {
          <app-status-banner kind="error" [text]="e || null" [key]="e ? null : 'errors.generic'" />
        }
        <mat-form-field>
          <mat-label>{{ 'popup.customers.name' | transloco }}</mat-label>
          <input matInput formControlName="name" data-testid="customer-form-name" />
          @if (form.controls.name.hasError('required')) {
            <mat-error>{{ 'errors.required' | transloco }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'popup.customers.kana' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
          <input matInput formControlName="kana" data-testid="customer-form-kana" />
        </mat-form-field>
        <div class="form-row">
          <mat-form-field>
            <mat-label>{{ 'popup.customers.company' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
            <input matInput formControlName="company" data-testid="customer-form-company" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'popup.customers.department' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
            <input matInput formControlName="department" data-testid="customer-form-department" />
          </mat-form-field>
        </div>
        <fieldset class="numbers">
          <legend>{{ 'popup.customers.numbers' | transloco }}</legend>
          @for (c of numbers.controls; track c; let i = $index) {
            <div class="number-row">
              <mat-form-field subscriptSizing="dynamic">
                <mat-label>{{ 'popup.customers.number' | transloco: { n: i + 1 } }}</mat-label>
                <input matInput [formControl]="c" inputmode="tel" [attr.data-testid]="'customer-form-phone-' + i" />
              </mat-form-field>
              <button
                mat-icon-button
                type="button"
                (click)="numbers.removeAt(i)"
                [attr.aria-label]="'popup.customers.removeNumber' | transloco"
                [attr.data-testid]="'customer-form-phone-remove-' + i"
              >
                <mat-icon svgIcon="delete" />
              </button>
            </div>
          }
          @if (numbers.length < maxNumbers) {
            <button mat-button type="button" (click)="addNumber('')" data-testid="customer-form-phone-add">
              <mat-icon svgIcon="add" /> {{ 'popup.customers.addNumber' | transloco }}
            </button>
          }
        </fieldset>
        <mat-form-field>
          <mat-label>{{ 'popup.customers.rank' | transloco }}</mat-label>
          <mat-select formControlName="rank" data-testid="customer-form-rank">
            <mat-option value="">{{ 'popup.customers.noRank' | transloco }}</mat-option>
            @for (r of data.ranks; track r.code) {
              <mat-option [value]="r.code">
                <span class="rank-dot" [style.background]="r.colour"></span> {{ r.label }}
              </mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'popup.customers.tags' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
          <input matInput formControlName="tags" data-testid="customer-form-tags" />
          <mat-hint>{{ 'popup.customers.tagsHint' | transloco }}</mat-hint>
        </mat-form-field>
        @for (f of data.fields; track f.key) {
          <mat-form-field>
            <mat-label>{{ f.label }}</mat-label>
            <input
              matInput
              [formControl]="custom[f.key]"
              [type]="f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'"
              [attr.data-testid]="'customer-form-custom-' + f.key"
            />
          </mat-form-field>
        }
        <mat-form-field>
          <mat-label>{{ 'popup.customers.memo' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
          <textarea matInput formControlName="memo" rows="3" data-testid="customer-form-memo"></textarea>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="customer-form-cancel">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="customer-form-save">
          {{ 'common.save' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .form-row {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
    }
    .form-row mat-form-field {
      flex: 1 1 200px;
    }
    .numbers {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 12px 4px;
      margin: 0 0 16px;
    }
    .number-row {
      display: flex;
      align-items: center;
      gap: 4px;
      margin-bottom: 8px;
    }
    .number-row mat-form-field {
      flex: 1;
    }
    .rank-dot {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      margin-right: 6px;
    }
  `,
})
export class CustomerDialogComponent {
  private readonly api = inject(PopupApi);
  private readonly ref = inject(MatDialogRef<CustomerDialogComponent, Customer>);
  protected readonly data = inject<CustomerDialogData>(MAT_DIALOG_DATA);
  protected readonly maxNumbers = MAX_NUMBERS;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly numbers = new FormArray<FormControl<string>>([]);
  protected readonly custom: Record<string, FormControl<string>> = {};
  protected readonly form = this.fb.group({
    name: [this.data.customer?.name ?? '', [Validators.required, Validators.maxLength(1000)]],
    kana: [this.data.customer?.kana ?? ''],
    company: [this.data.customer?.company ?? ''],
    department: [this.data.customer?.department ?? ''],
    rank: [this.data.customer?.rank?.code ?? ''],
    tags: [(this.data.customer?.tags ?? []).join(', ')],
    memo: [this.data.customer?.memo ?? ''],
  });
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[] | null>(null);

  constructor() {
    const existing = this.data.customer?.numbers.map((n) => n.display || n.raw) ?? [];
    for (const n of existing.length ? existing : [this.data.number ?? '']) this.addNumber(n);
    for (const f of this.data.fields)
      this.custom[f.key] = this.fb.control(this.data.customer?.customFields[f.key] ?? '');
  }

  protected addNumber(value: string): void {
    this.numbers.push(this.fb.control(value));
  }

  /** The request body; empty optional fields are sent as null so an edit can clear them. */
  protected body(): CustomerBody {
    const v = this.form.getRawValue();
    return {
      name: v.name.trim(),
      kana: blankToNull(v.kana),
      company: blankToNull(v.company),
      department: blankToNull(v.department),
      rank: v.rank || null,
      tags: v.tags
        .split(/[,、，]/)
        .map((t) => t.trim())
        .filter(Boolean),
      memo: blankToNull(v.memo),
      numbers: this.numbers
        .getRawValue()
        .map((n) => n.trim())
        .filter(Boolean),
      customFields: Object.fromEntries(Object.entries(this.custom).map(([k, c]) => [k, blankToNull(c.value)])),
    };
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const body = this.body();
    const request = this.data.customer
      ? this.api.updateCustomer(this.data.customer.id, body)
      : this.api.createCustomer(body);
    this.busy.set(true);
    this.errors.set(null);
    request.subscribe({
      next: (customer) => this.ref.close(customer),
      error: (err: unknown) => {
        this.busy.set(false);
        const lines = problemLines(err);
        this.errors.set(lines.length ? lines : ['']);
      },
    });
  }
}

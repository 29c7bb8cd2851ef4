import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { DeploymentMode, PRODUCTS, Product } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { timeZoneOptions } from '../../shared/time-zones';
import { OrganizationConfig, SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';

@Component({
  selector: 'app-organization-step',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (error(); as e) {
        <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
      }
      <mat-form-field>
        <mat-label>{{ 'fields.organizationName' | transloco }}</mat-label>
        <input matInput formControlName="organizationName" data-testid="setup-org-name" />
        <mat-error><app-field-error [control]="form.controls.organizationName" /></mat-error>
      </mat-form-field>

      <div class="field-block">
        <div class="field-label">{{ 'fields.deploymentMode' | transloco }}</div>
        <mat-radio-group formControlName="deploymentMode" class="radio-column">
          <mat-radio-button value="single" data-testid="setup-org-mode-single">
            {{ 'deploymentMode.single' | transloco }}
          </mat-radio-button>
          <mat-radio-button value="multi" data-testid="setup-org-mode-multi">
            {{ 'deploymentMode.multi' | transloco }}
          </mat-radio-button>
        </mat-radio-group>
      </div>

      <mat-form-field>
        <mat-label>{{ 'fields.timeZone' | transloco }}</mat-label>
        <mat-select formControlName="timeZone" data-testid="setup-org-timezone">
          @for (tz of zones; track tz) {
            <mat-option [value]="tz">{{ tz }}</mat-option>
          }
        </mat-select>
        <mat-error><app-field-error [control]="form.controls.timeZone" /></mat-error>
      </mat-form-field>

      <div class="field-block">
        <div class="field-label">{{ 'fields.products' | transloco }}</div>
        @for (p of products; track p) {
          <mat-checkbox
            [checked]="selected().includes(p)"
            (change)="toggle(p, $event.checked)"
            [attr.data-testid]="'setup-org-product-' + p"
          >
            {{ 'products.' + p + '.label' | transloco }}
          </mat-checkbox>
        }
        @if (productsMissing()) {
          <div class="field-error-text">{{ 'setup.organization.productsRequired' | transloco }}</div>
        }
      </div>

      <div class="step-actions">
        <button mat-button type="button" (click)="back.emit()" data-testid="setup-back">
          {{ 'common.back' | transloco }}
        </button>
        <span class="spacer"></span>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="setup-next">
          {{ 'common.next' | transloco }}
        </button>
      </div>
    </form>
  `,
})
export class OrganizationStepComponent {
  readonly done = output<void>();
  readonly back = output<void>();

  private readonly api = inject(SetupApi);
  private readonly store = inject(SetupStore);
  private readonly initial = this.store.state().organization;

  protected readonly products = PRODUCTS;
  protected readonly zones = timeZoneOptions(this.initial?.timeZone);
  protected readonly form = inject(NonNullableFormBuilder).group({
    organizationName: [this.initial?.organizationName ?? '', Validators.required],
    deploymentMode: [this.initial?.deploymentMode ?? ('single' as DeploymentMode), Validators.required],
    timeZone: [this.initial?.timeZone ?? 'Asia/Tokyo', Validators.required],
  });
  protected readonly selected = signal<Product[]>(this.initial?.products ?? ['flexlog']);
  protected readonly productsMissing = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);

  protected toggle(p: Product, on: boolean): void {
    this.selected.update((list) => (on ? [...list, p] : list.filter((x) => x !== p)));
    this.productsMissing.set(false);
  }

  protected submit(): void {
    const noProducts = this.selected().length === 0;
    this.productsMissing.set(noProducts);
    if (this.form.invalid || noProducts) {
      this.form.markAllAsTouched();
      return;
    }
    // Keep the canonical product order regardless of click order.
    const body: OrganizationConfig = {
      ...this.form.getRawValue(),
      products: PRODUCTS.filter((p) => this.selected().includes(p)),
    };
    this.busy.set(true);
    this.error.set(null);
    this.api.saveOrganization(body).subscribe({
      next: () => {
        this.busy.set(false);
        this.store.patch({ organization: body });
        this.done.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}

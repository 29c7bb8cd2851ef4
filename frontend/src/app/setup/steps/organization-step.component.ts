import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { DeploymentMode, PRODUCTS, Product } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { timeZoneOptions } from '../../shared/time-zones';
import { OrganizationConfig, SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';
import { StepRequest } from '../step-request';
import { StepActionsComponent } from './step-actions.component';

@Component({
  selector: 'app-organization-step',
  imports: [
    ReactiveFormsModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    StepActionsComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (req.error(); as e) {
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

      <app-step-actions [busy]="req.busy()" (back)="back.emit()" />
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
  protected readonly req = new StepRequest(this.form);

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
    this.req.save(this.api.saveOrganization(body), () => {
      this.store.patch({ organization: body });
      this.done.emit();
    });
  }
}

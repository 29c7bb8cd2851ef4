import { Component, computed, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { Product } from '../core/api.types';
import { PRODUCT_NAV } from '../shell/nav';

/** Placeholder for a product whose screens ship in a later release; says so plainly. */
@Component({
  selector: 'app-product-landing-page',
  imports: [MatCardModule, MatIconModule, TranslocoPipe],
  template: `
    <h1 class="page-title" [attr.data-testid]="'product-' + product()">
      {{ 'products.' + product() + '.name' | transloco }}
      <span class="muted title-caption">{{ 'products.' + product() + '.caption' | transloco }}</span>
    </h1>
    <mat-card appearance="outlined" class="narrow-card wide">
      <mat-card-header>
        <mat-icon mat-card-avatar [svgIcon]="icon()" />
        <mat-card-title>{{ 'productLanding.title' | transloco }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p>{{ 'products.' + product() + '.description' | transloco }}</p>
        <p class="banner warn">{{ 'productLanding.laterRelease' | transloco }}</p>
      </mat-card-content>
    </mat-card>
  `,
})
export class ProductLandingPage {
  /** From route data (component input binding). */
  readonly product = input.required<Product>();
  protected readonly icon = computed(() => PRODUCT_NAV.find((p) => p.product === this.product())?.icon ?? 'list');
}

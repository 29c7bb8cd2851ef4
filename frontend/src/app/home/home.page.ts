import { Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthService } from '../core/auth.service';
import { PRODUCT_NAV } from '../shell/nav';

@Component({
  selector: 'app-home-page',
  imports: [MatCardModule, MatChipsModule, MatIconModule, RouterLink, TranslocoPipe],
  template: `
    @if (me(); as me) {
      <h1 class="page-title" data-testid="home-greeting">
        {{ 'home.greeting' | transloco: { name: me.displayName } }}
      </h1>
      <p class="muted">{{ 'home.organization' | transloco: { name: me.tenant.name } }}</p>
      <section class="section">
        <h2 class="section-title">{{ 'home.yourRoles' | transloco }}</h2>
        <mat-chip-set data-testid="home-roles">
          @for (r of me.roles; track r) {
            <mat-chip>{{ 'roles.' + r | transloco }}</mat-chip>
          }
        </mat-chip-set>
      </section>
      <section class="section">
        <h2 class="section-title">{{ 'home.products' | transloco }}</h2>
        @if (products().length === 0) {
          <p class="muted">{{ 'home.noProducts' | transloco }}</p>
        }
        <div class="card-grid">
          @for (p of products(); track p.product) {
            <a class="card-link" [routerLink]="['/', p.path]">
              <mat-card appearance="outlined">
                <mat-card-header>
                  <mat-icon mat-card-avatar [svgIcon]="p.icon" />
                  <mat-card-title>{{ 'products.' + p.product + '.name' | transloco }}</mat-card-title>
                  <mat-card-subtitle>{{ 'products.' + p.product + '.caption' | transloco }}</mat-card-subtitle>
                </mat-card-header>
                <mat-card-content>
                  <p>{{ 'products.' + p.product + '.description' | transloco }}</p>
                </mat-card-content>
              </mat-card>
            </a>
          }
        </div>
      </section>
    }
  `,
})
export class HomePage {
  protected readonly me = inject(AuthService).me;
  protected readonly products = computed(() => {
    const enabled = this.me()?.tenant.products ?? [];
    return PRODUCT_NAV.filter((p) => enabled.includes(p.product));
  });
}

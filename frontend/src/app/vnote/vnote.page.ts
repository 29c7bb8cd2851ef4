import { Component, computed, inject } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthService } from '../core/auth.service';
import { VNOTE_TABS } from './vnote.routes';

/** FlexVNote: one tab per screen the user's role may open. */
@Component({
  selector: 'app-vnote-page',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet, TranslocoPipe],
  template: `
    <h1 class="page-title" data-testid="product-flexvnote">
      {{ 'products.flexvnote.name' | transloco }}
      <span class="muted title-caption">{{ 'products.flexvnote.caption' | transloco }}</span>
    </h1>
    <nav mat-tab-nav-bar [tabPanel]="panel" [attr.aria-label]="'products.flexvnote.name' | transloco">
      @for (tab of tabs(); track tab) {
        <a
          mat-tab-link
          [routerLink]="tab"
          routerLinkActive
          #active="routerLinkActive"
          [active]="active.isActive"
          [attr.data-testid]="'vnote-tab-' + tab"
          >{{ 'vnote.tabs.' + tab | transloco }}</a
        >
      }
    </nav>
    <mat-tab-nav-panel #panel class="tab-panel"><router-outlet /></mat-tab-nav-panel>
  `,
  styles: `
    .tab-panel {
      display: block;
      padding-top: 16px;
    }
  `,
})
export class VnotePage {
  private readonly auth = inject(AuthService);
  protected readonly tabs = computed(() => VNOTE_TABS.filter((t) => this.auth.hasAnyRole(t.roles)).map((t) => t.path));
}

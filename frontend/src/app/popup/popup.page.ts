import { Component, computed, inject } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { DIRECTORY_WRITERS, POPUP_ANSWERERS } from './popup.routes';

/** Tabs and who sees them (the child routes' guards say the same). */
const TABS: Array<{ path: string; roles: Role[] }> = [
  { path: 'customers', roles: POPUP_ANSWERERS },
  { path: 'import', roles: DIRECTORY_WRITERS },
  { path: 'routing', roles: ['tenantAdmin'] },
  { path: 'integrations', roles: ['tenantAdmin'] },
];

/** 応対力: the customer directory, its CSV import, who gets popups and the integrations. */
@Component({
  selector: 'app-popup-page',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet, TranslocoPipe],
  template: `
    <h1 class="page-title" data-testid="product-ootairyoku">
      {{ 'products.ootairyoku.name' | transloco }}
      <span class="muted title-caption">{{ 'products.ootairyoku.caption' | transloco }}</span>
    </h1>
    <nav mat-tab-nav-bar [tabPanel]="panel" [attr.aria-label]="'products.ootairyoku.name' | transloco">
      @for (tab of tabs(); track tab.path) {
        <a
          mat-tab-link
          [routerLink]="tab.path"
          routerLinkActive
          #active="routerLinkActive"
          [active]="active.isActive"
          [attr.data-testid]="'popup-tab-' + tab.path"
          >{{ 'popup.tabs.' + tab.path | transloco }}</a
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
export class PopupPage {
  private readonly auth = inject(AuthService);
  protected readonly tabs = computed(() => TABS.filter((t) => t.roles.some((r) => this.auth.roles().includes(r))));
}

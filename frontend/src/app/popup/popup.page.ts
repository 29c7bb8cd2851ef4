import { Component, computed, inject } from '@angular/core';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { TabbedProductPageComponent } from '../shared/tabbed-product-page.component';
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
  imports: [TabbedProductPageComponent],
  template: `
    <app-tabbed-product-page
      titleKey="products.ootairyoku.name"
      captionKey="products.ootairyoku.caption"
      titleTestId="product-ootairyoku"
      [tabs]="tabs()"
      tabLabelPrefix="popup.tabs."
      tabTestIdPrefix="popup-tab-"
    />
  `,
})
export class PopupPage {
  private readonly auth = inject(AuthService);
  protected readonly tabs = computed(() =>
    TABS.filter((t) => t.roles.some((r) => this.auth.roles().includes(r))).map((t) => t.path),
  );
}

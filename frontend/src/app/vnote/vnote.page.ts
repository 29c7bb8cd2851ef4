import { Component, computed, inject } from '@angular/core';
import { AuthService } from '../core/auth.service';
import { TabbedProductPageComponent } from '../shared/tabbed-product-page.component';
import { VNOTE_TABS } from './vnote.routes';

/** FlexVNote: one tab per screen the user's role may open. */
@Component({
  selector: 'app-vnote-page',
  imports: [TabbedProductPageComponent],
  template: `
    <app-tabbed-product-page
      titleKey="products.flexvnote.name"
      captionKey="products.flexvnote.caption"
      titleTestId="product-flexvnote"
      [tabs]="tabs()"
      tabLabelPrefix="vnote.tabs."
      tabTestIdPrefix="vnote-tab-"
    />
  `,
})
export class VnotePage {
  private readonly auth = inject(AuthService);
  protected readonly tabs = computed(() => VNOTE_TABS.filter((t) => this.auth.hasAnyRole(t.roles)).map((t) => t.path));
}

import { Component } from '@angular/core';
import { TabbedProductPageComponent } from '../shared/tabbed-product-page.component';
import { OpeningTestCardComponent } from './opening-test-card.component';

const TABS = ['connectors', 'profiles', 'lines', 'files'] as const;

/** FlexDPlayer settings: the opening test on top, then one tab per part of the import. */
@Component({
  selector: 'app-flexdplayer-page',
  imports: [TabbedProductPageComponent, OpeningTestCardComponent],
  template: `
    <app-tabbed-product-page
      titleKey="flexdplayer.title"
      captionKey="flexdplayer.caption"
      [tabs]="tabs"
      tabLabelPrefix="flexdplayer.tabs."
      tabTestIdPrefix="flexd-tab-"
    >
      <app-flexd-opening-test-card />
    </app-tabbed-product-page>
  `,
})
export class FlexdplayerPage {
  protected readonly tabs = TABS;
}

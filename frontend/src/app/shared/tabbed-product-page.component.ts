import { Component, input } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * A product's page shell: its title and caption, anything projected between the title and the tabs,
 * one tab link per child route path, and the child route below them.
 */
@Component({
  selector: 'app-tabbed-product-page',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet, TranslocoPipe],
  template: `
    <h1 class="page-title" [attr.data-testid]="titleTestId()">
      {{ titleKey() | transloco }}
      <span class="muted title-caption">{{ captionKey() | transloco }}</span>
    </h1>
    <ng-content />
    <nav mat-tab-nav-bar [tabPanel]="panel" [attr.aria-label]="titleKey() | transloco">
      @for (tab of tabs(); track tab) {
        <a
          mat-tab-link
          [routerLink]="tab"
          routerLinkActive
          #active="routerLinkActive"
          [active]="active.isActive"
          [attr.data-testid]="tabTestIdPrefix() + tab"
          >{{ tabLabelPrefix() + tab | transloco }}</a
        >
      }
    </nav>
    <mat-tab-nav-panel #panel class="tab-panel"><router-outlet /></mat-tab-nav-panel>
  `,
  styles: `
    :host {
      display: block;
    }
    .tab-panel {
      display: block;
      padding-top: 16px;
    }
  `,
})
export class TabbedProductPageComponent {
  readonly titleKey = input.required<string>();
  readonly captionKey = input.required<string>();
  /** The title's data-testid; none when null. */
  readonly titleTestId = input<string | null>(null);
  /** Child route paths, in tab order. */
  readonly tabs = input.required<readonly string[]>();
  /** i18n key prefix of each tab's label, e.g. `popup.tabs.`. */
  readonly tabLabelPrefix = input.required<string>();
  /** data-testid prefix of each tab link, e.g. `popup-tab-`. */
  readonly tabTestIdPrefix = input.required<string>();
}

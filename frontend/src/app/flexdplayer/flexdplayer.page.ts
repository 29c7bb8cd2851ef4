import { Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { OpeningTestCardComponent } from './opening-test-card.component';

const TABS = ['connectors', 'profiles', 'lines', 'files'] as const;

/** FlexDPlayer settings: the opening test on top, then one tab per part of the import. */
@Component({
  selector: 'app-flexdplayer-page',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet, TranslocoPipe, OpeningTestCardComponent],
  template: `
    <h1 class="page-title">
      {{ 'flexdplayer.title' | transloco }}
      <span class="muted title-caption">{{ 'flexdplayer.caption' | transloco }}</span>
    </h1>
    <app-flexd-opening-test-card />
    <nav mat-tab-nav-bar [tabPanel]="panel" [attr.aria-label]="'flexdplayer.title' | transloco">
      @for (tab of tabs; track tab) {
        <a
          mat-tab-link
          [routerLink]="tab"
          routerLinkActive
          #active="routerLinkActive"
          [active]="active.isActive"
          [attr.data-testid]="'flexd-tab-' + tab"
          >{{ 'flexdplayer.tabs.' + tab | transloco }}</a
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
export class FlexdplayerPage {
  protected readonly tabs = TABS;
}

import { Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { TranslocoPipe } from '@jsverse/transloco';
import { KintonePanelComponent } from './kintone-panel.component';
import { LookupHookPanelComponent } from './lookup-hook-panel.component';
import { WebhooksPanelComponent } from './webhooks-panel.component';

/** The three integrations, one tab each. */
@Component({
  selector: 'app-popup-integrations-page',
  imports: [MatTabsModule, TranslocoPipe, WebhooksPanelComponent, LookupHookPanelComponent, KintonePanelComponent],
  template: `
    <h2>{{ 'popupIntegrations.title' | transloco }}</h2>
    <mat-tab-group>
      <mat-tab [label]="'popupIntegrations.webhooks.tab' | transloco"><app-webhooks-panel /></mat-tab>
      <mat-tab [label]="'popupIntegrations.lookup.tab' | transloco"><app-lookup-hook-panel /></mat-tab>
      <mat-tab [label]="'popupIntegrations.kintone.tab' | transloco"><app-kintone-panel /></mat-tab>
    </mat-tab-group>
  `,
})
export class IntegrationsPage {}

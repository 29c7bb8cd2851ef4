import { Component } from '@angular/core';
import { MatToolbarModule } from '@angular/material/toolbar';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageMenuComponent } from './language-menu.component';

/** Frame for pages shown before sign-in (login, setup). */
@Component({
  selector: 'app-public-layout',
  imports: [MatToolbarModule, TranslocoPipe, LanguageMenuComponent],
  template: `
    <mat-toolbar class="app-toolbar">
      <span class="brand">{{ 'app.title' | transloco }}</span>
      <span class="spacer"></span>
      <app-language-menu />
    </mat-toolbar>
    <main class="public-main"><ng-content /></main>
  `,
  styles: `
    .public-main {
      display: flex;
      justify-content: center;
      align-items: flex-start;
      padding: 32px 16px;
      min-height: calc(100vh - 64px);
      box-sizing: border-box;
    }
  `,
})
export class PublicLayoutComponent {}

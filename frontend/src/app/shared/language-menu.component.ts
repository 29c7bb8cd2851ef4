import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { LANGUAGES, LanguageService } from '../core/language.service';

@Component({
  selector: 'app-language-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, TranslocoPipe],
  template: `
    <button mat-button [matMenuTriggerFor]="menu" [attr.aria-label]="'lang.switch' | transloco" data-testid="lang-menu">
      <mat-icon svgIcon="translate" />
      {{ 'lang.' + language.lang() | transloco }}
    </button>
    <mat-menu #menu="matMenu">
      @for (l of languages; track l) {
        <button mat-menu-item (click)="language.use(l)" [attr.data-testid]="'lang-' + l">
          {{ 'lang.' + l | transloco }}
        </button>
      }
    </mat-menu>
  `,
})
export class LanguageMenuComponent {
  protected readonly language = inject(LanguageService);
  protected readonly languages = LANGUAGES;
}

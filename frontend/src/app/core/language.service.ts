import { DOCUMENT } from '@angular/common';
import { Injectable, effect, inject, signal } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { Locale } from './api.types';
import { AuthService } from './auth.service';

export const LANGUAGES: Locale[] = ['ja', 'en'];
const STORAGE_KEY = 'app.lang';

/** Active UI language: Transloco + <html lang> + localStorage + the user's profile. */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly transloco = inject(TranslocoService);
  private readonly auth = inject(AuthService);
  private readonly document = inject(DOCUMENT);

  readonly lang = signal<Locale>('ja');

  constructor() {
    // A signed-in user's saved locale wins over the browser's stored choice.
    effect(() => {
      const locale = this.auth.me()?.locale;
      if (locale && LANGUAGES.includes(locale) && locale !== this.lang()) this.apply(locale);
    });
  }

  init(): void {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(STORAGE_KEY);
    } catch {
      // Storage may be blocked (private mode); Japanese stays the default.
    }
    this.apply(stored === 'en' ? 'en' : 'ja');
  }

  /** User-initiated switch: also saved to the profile when signed in. */
  use(lang: Locale): void {
    this.apply(lang);
    if (this.auth.isLoggedIn()) this.auth.updateProfile({ locale: lang }).subscribe({ error: () => undefined });
  }

  private apply(lang: Locale): void {
    this.lang.set(lang);
    this.transloco.setActiveLang(lang);
    this.document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // ignore
    }
  }
}

import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { switchMap } from 'rxjs';
import { apiMessage, apiStatus } from '../core/api-errors';
import { AuthService } from '../core/auth.service';
import { LanguageService } from '../core/language.service';
import { SetupStatusService } from '../core/setup-status.service';
import { FieldErrorComponent } from '../shared/field-error.component';
import { PublicLayoutComponent } from '../shared/public-layout.component';

interface LoginError {
  key: string;
  params?: Record<string, string>;
}

@Component({
  selector: 'app-login-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    TranslocoPipe,
    FieldErrorComponent,
    PublicLayoutComponent,
  ],
  templateUrl: './login.page.html',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly setup = inject(SetupStatusService);
  private readonly language = inject(LanguageService);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<LoginError | null>(null);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { email, password } = this.form.getRawValue();
    this.auth
      .login(email, password)
      .pipe(switchMap(() => this.setup.check()))
      .subscribe({
        next: (setupComplete) => {
          this.busy.set(false);
          const returnUrl = this.route.snapshot.queryParamMap.get('returnUrl');
          const target = !setupComplete ? '/setup' : returnUrl?.startsWith('/') ? returnUrl : '/';
          void this.router.navigateByUrl(target);
        },
        error: (err: unknown) => {
          this.busy.set(false);
          this.error.set(this.describe(err));
        },
      });
  }

  private describe(err: unknown): LoginError {
    const status = apiStatus(err);
    if (status === 401) return { key: 'login.invalid' };
    if (status === 423) {
      // "account locked until <iso>": show the instant in the browser's local time.
      const iso = /until\s+(\S+)/.exec(apiMessage(err) ?? '')?.[1];
      const date = iso ? new Date(iso) : null;
      const until =
        date && !isNaN(date.getTime()) ? date.toLocaleString(this.language.lang() === 'ja' ? 'ja-JP' : 'en-US') : '';
      return { key: 'login.locked', params: { until } };
    }
    return { key: 'login.failed', params: { detail: apiMessage(err) ?? String(status || '') } };
  }
}

import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, apiStatus, applyServerErrors } from '../core/api-errors';
import { Locale } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { LANGUAGES, LanguageService } from '../core/language.service';
import { FieldErrorComponent } from '../shared/field-error.component';
import { NewPasswordFieldsComponent } from '../shared/new-password-fields.component';
import { matchValidator, passwordPolicyValidator } from '../shared/password-policy';
import { ResultBannerComponent, SaveResult } from '../shared/result-banner.component';

@Component({
  selector: 'app-profile-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    NewPasswordFieldsComponent,
    ResultBannerComponent,
  ],
  templateUrl: './profile.page.html',
})
export class ProfilePage {
  private readonly auth = inject(AuthService);
  private readonly language = inject(LanguageService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly me = this.auth.me;
  protected readonly languages = LANGUAGES;

  protected readonly profile = this.fb.group({
    displayName: [this.me()?.displayName ?? '', Validators.required],
    locale: [(this.me()?.locale ?? this.language.lang()) as Locale],
  });
  protected readonly password = this.fb.group(
    {
      email: [this.me()?.email ?? ''],
      currentPassword: ['', Validators.required],
      newPassword: ['', [Validators.required, passwordPolicyValidator('email')]],
      confirm: ['', Validators.required],
    },
    { validators: matchValidator('newPassword', 'confirm') },
  );

  protected readonly profileBusy = signal(false);
  protected readonly profileResult = signal<SaveResult | null>(null);
  protected readonly passwordBusy = signal(false);
  protected readonly passwordResult = signal<SaveResult | null>(null);

  protected saveProfile(): void {
    if (this.profile.invalid) {
      this.profile.markAllAsTouched();
      return;
    }
    const { displayName, locale } = this.profile.getRawValue();
    this.profileBusy.set(true);
    this.profileResult.set(null);
    this.auth.updateProfile({ displayName: displayName.trim(), locale }).subscribe({
      next: () => {
        this.profileBusy.set(false);
        // LanguageService follows me().locale, so the UI switches by itself.
        this.profileResult.set({ ok: true, text: null });
      },
      error: (err: unknown) => {
        this.profileBusy.set(false);
        if (!applyServerErrors(this.profile, err)) this.profileResult.set({ ok: false, text: apiMessage(err) });
      },
    });
  }

  protected changePassword(): void {
    if (this.password.invalid) {
      this.password.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.password.getRawValue();
    this.passwordBusy.set(true);
    this.passwordResult.set(null);
    this.auth.changePassword(currentPassword, newPassword).subscribe({
      next: () => {
        this.passwordBusy.set(false);
        this.password.reset({ email: this.me()?.email ?? '' });
        this.passwordResult.set({ ok: true, text: null });
      },
      error: (err: unknown) => {
        this.passwordBusy.set(false);
        const c = this.password.controls;
        if (applyServerErrors(this.password, err)) return;
        const status = apiStatus(err);
        // 401 = wrong current password; 400 = the policy message from the server.
        if (status === 401) c.currentPassword.setErrors({ wrongCurrent: true });
        else if (status === 400) c.newPassword.setErrors({ server: apiMessage(err) ?? '' });
        else this.passwordResult.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

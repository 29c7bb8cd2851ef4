import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { TestResult } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { MailConfig, MailSetting, SetupApi, isMailSkipped } from '../setup.api';
import { SetupStore } from '../setup.store';
import { TestResultComponent } from './test-result.component';

@Component({
  selector: 'app-mail-step',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    TestResultComponent,
  ],
  templateUrl: './mail-step.component.html',
})
export class MailStepComponent {
  readonly done = output<void>();
  readonly back = output<void>();

  private readonly api = inject(SetupApi);
  private readonly store = inject(SetupStore);
  private readonly initial = this.readInitial();

  protected readonly form = inject(NonNullableFormBuilder).group({
    host: [this.initial?.host ?? '', Validators.required],
    port: [this.initial?.port ?? 587, [Validators.required, Validators.min(1), Validators.max(65535)]],
    secure: [this.initial?.secure ?? false],
    user: [this.initial?.user ?? ''],
    password: [this.initial?.password ?? ''],
    from: [this.initial?.from ?? '', [Validators.required, Validators.email]],
  });
  protected readonly recipient = inject(NonNullableFormBuilder).control('', [Validators.required, Validators.email]);
  protected readonly busy = signal(false);
  protected readonly testing = signal(false);
  protected readonly testResult = signal<TestResult | null>(null);
  protected readonly error = signal<{ text: string | null } | null>(null);

  private readInitial(): MailConfig | null {
    const mail = this.store.state().mail;
    return mail && !isMailSkipped(mail) ? mail : null;
  }

  private body(): MailConfig {
    const v = this.form.getRawValue();
    const body: MailConfig = { host: v.host.trim(), port: Number(v.port), secure: v.secure, from: v.from.trim() };
    if (v.user.trim()) body.user = v.user.trim();
    if (v.password) body.password = v.password;
    return body;
  }

  protected test(): void {
    if (this.form.invalid || this.recipient.invalid) {
      this.form.markAllAsTouched();
      this.recipient.markAsTouched();
      return;
    }
    this.testing.set(true);
    this.testResult.set(null);
    this.api.testMail({ ...this.body(), testRecipient: this.recipient.value.trim() }).subscribe({
      next: (r) => {
        this.testing.set(false);
        this.testResult.set(r);
      },
      error: (err: unknown) => {
        this.testing.set(false);
        applyServerErrors(this.form, err);
        this.testResult.set({ ok: false, message: apiMessage(err) ?? '' });
      },
    });
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.save(this.body());
  }

  protected skip(): void {
    this.save({ skip: true });
  }

  private save(body: MailSetting): void {
    this.busy.set(true);
    this.error.set(null);
    this.api.saveMail(body).subscribe({
      next: () => {
        this.busy.set(false);
        this.store.patch({ mail: body });
        this.done.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}

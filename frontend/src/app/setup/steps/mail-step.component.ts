import { Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { MailConfig, MailSetting, SetupApi, isMailSkipped } from '../setup.api';
import { SetupStore } from '../setup.store';
import { StepRequest, readyToSend } from '../step-request';
import { StepActionsComponent } from './step-actions.component';
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
    StepActionsComponent,
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
  protected readonly req = new StepRequest(this.form);

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
    if (!readyToSend(this.form, this.recipient)) return;
    this.req.test(this.api.testMail({ ...this.body(), testRecipient: this.recipient.value.trim() }));
  }

  protected submit(): void {
    if (readyToSend(this.form)) this.save(this.body());
  }

  protected skip(): void {
    this.save({ skip: true });
  }

  private save(body: MailSetting): void {
    this.req.save(this.api.saveMail(body), () => {
      this.store.patch({ mail: body });
      this.done.emit();
    });
  }
}

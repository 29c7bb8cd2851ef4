import { DatePipe } from '@angular/common';
import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { SecretRevealComponent } from '../../shared/secret-reveal.component';
import { IntegrationsApi, Webhook, WEBHOOK_EVENT_TYPES, WebhookDelivery } from './integrations.api';

/** Webhook endpoints: create (the secret is shown once), enable, test, and each one's delivery log with re-send. */
@Component({
  selector: 'app-webhooks-panel',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslocoPipe,
    FieldErrorComponent,
    SecretRevealComponent,
  ],
  templateUrl: './webhooks-panel.component.html',
  styleUrl: './integrations.scss',
})
export class WebhooksPanelComponent {
  private readonly api = inject(IntegrationsApi);
  protected readonly eventTypes = WEBHOOK_EVENT_TYPES;
  protected readonly webhooks = signal<Webhook[]>([]);
  protected readonly secret = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly selected = signal<Webhook | null>(null);
  protected readonly deliveries = signal<WebhookDelivery[]>([]);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', Validators.required],
    url: ['', Validators.required],
    events: [[] as string[]],
  });

  /** A failed request's message in the panel's error banner. */
  private readonly showError = (err: unknown) => this.error.set(apiMessage(err));

  constructor() {
    this.reload();
  }

  protected toggleEvent(type: string, checked: boolean): void {
    const events = this.form.controls.events.value.filter((e) => e !== type);
    this.form.controls.events.setValue(checked ? [...events, type] : events);
  }

  protected create(): void {
    this.error.set(null);
    this.api.createWebhook({ ...this.form.getRawValue(), enabled: true }).subscribe({
      next: (created) => {
        this.secret.set(created.secret);
        this.form.reset();
        this.reload();
      },
      error: (err: unknown) => {
        if (!applyServerErrors(this.form, err)) this.error.set(apiMessage(err));
      },
    });
  }

  protected setEnabled(hook: Webhook, enabled: boolean): void {
    this.api.updateWebhook(hook.id, { enabled }).subscribe({
      next: () => this.reload(),
      error: this.showError,
    });
  }

  protected remove(hook: Webhook): void {
    this.api.deleteWebhook(hook.id).subscribe({
      next: () => {
        if (this.selected()?.id === hook.id) this.selected.set(null);
        this.reload();
      },
      error: this.showError,
    });
  }

  protected sendTest(hook: Webhook): void {
    this.api.testWebhook(hook.id).subscribe({
      next: () => this.show(hook),
      error: this.showError,
    });
  }

  protected show(hook: Webhook): void {
    this.selected.set(hook);
    this.api.deliveries(hook.id).subscribe({
      next: (list) => this.deliveries.set(list),
      error: this.showError,
    });
  }

  protected resend(delivery: WebhookDelivery): void {
    const hook = this.selected();
    if (!hook) return;
    this.api.resend(hook.id, delivery.id).subscribe({
      next: () => this.show(hook),
      error: this.showError,
    });
  }

  private reload(): void {
    this.api.webhooks().subscribe({
      next: (list) => this.webhooks.set(list),
      error: this.showError,
    });
  }
}

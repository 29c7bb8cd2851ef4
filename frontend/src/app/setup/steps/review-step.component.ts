import { Component, computed, inject, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { switchMap } from 'rxjs';
import { AuthService } from '../../core/auth.service';
import { SetupStatusService } from '../../core/setup-status.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SetupApi, isMailSkipped } from '../setup.api';
import { MASK, SetupStep, SetupStore } from '../setup.store';
import { StepRequest } from '../step-request';

interface Row {
  labelKey: string;
  value?: string;
  valueKey?: string;
  valueKeys?: string[];
}

@Component({
  selector: 'app-review-step',
  imports: [MatButtonModule, TranslocoPipe, StatusBannerComponent],
  templateUrl: './review-step.component.html',
})
export class ReviewStepComponent {
  readonly back = output<void>();
  readonly edit = output<SetupStep>();

  private readonly api = inject(SetupApi);
  private readonly store = inject(SetupStore);
  private readonly auth = inject(AuthService);
  private readonly status = inject(SetupStatusService);
  private readonly router = inject(Router);

  // No form here: every error goes to the banner.
  protected readonly req = new StepRequest();

  constructor() {
    // Show what the server has stored, not only what this browser sent.
    this.store.load().subscribe();
  }

  protected readonly sections = computed(() => {
    const s = this.store.state();
    const org = s.organization;
    const storage = s.storage;
    const enc = s.encryption;
    const mail = s.mail;
    const mask = (v?: string) => (v ? MASK : '');
    const orgRows: Row[] = org
      ? [
          { labelKey: 'fields.organizationName', value: org.organizationName },
          { labelKey: 'fields.deploymentMode', valueKey: 'deploymentMode.' + org.deploymentMode },
          { labelKey: 'fields.timeZone', value: org.timeZone },
          { labelKey: 'fields.products', valueKeys: org.products.map((p) => `products.${p}.label`) },
        ]
      : [];
    const storageRows: Row[] = !storage
      ? []
      : storage.driver === 'local'
        ? [
            { labelKey: 'fields.storageDriver', valueKey: 'setup.storage.local' },
            { labelKey: 'fields.localPath', value: storage.localPath },
          ]
        : [
            { labelKey: 'fields.storageDriver', valueKey: 'setup.storage.s3' },
            { labelKey: 'fields.endpoint', value: storage.endpoint },
            { labelKey: 'fields.region', value: storage.region },
            { labelKey: 'fields.bucket', value: storage.bucket },
            { labelKey: 'fields.accessKeyId', value: storage.accessKeyId },
            { labelKey: 'fields.secretAccessKey', value: mask(storage.secretAccessKey) },
            { labelKey: 'fields.forcePathStyle', valueKey: storage.forcePathStyle ? 'common.yes' : 'common.no' },
          ];
    const encRows: Row[] = !enc
      ? []
      : enc.mode === 'local'
        ? [{ labelKey: 'fields.encryptionMode', valueKey: 'setup.encryption.local' }]
        : [
            { labelKey: 'fields.encryptionMode', valueKey: 'setup.encryption.kms' },
            { labelKey: 'fields.kmsKeyId', value: enc.kmsKeyId },
            { labelKey: 'fields.kmsRegion', value: enc.kmsRegion },
            { labelKey: 'fields.kmsEndpoint', value: enc.kmsEndpoint },
          ];
    const mailRows: Row[] = !mail
      ? []
      : isMailSkipped(mail)
        ? [{ labelKey: 'setup.steps.mail', valueKey: 'setup.mail.skipped' }]
        : [
            { labelKey: 'fields.smtpHost', value: `${mail.host}:${mail.port}` },
            { labelKey: 'fields.smtpSecure', valueKey: mail.secure ? 'common.yes' : 'common.no' },
            { labelKey: 'fields.smtpUser', value: mail.user },
            { labelKey: 'fields.smtpPassword', value: mask(mail.password) },
            { labelKey: 'fields.mailFrom', value: mail.from },
          ];
    return [
      { step: 'organization' as SetupStep, rows: orgRows },
      { step: 'storage' as SetupStep, rows: storageRows },
      { step: 'encryption' as SetupStep, rows: encRows },
      { step: 'mail' as SetupStep, rows: mailRows },
    ];
  });

  protected complete(): void {
    this.req.save(this.api.complete().pipe(switchMap(() => this.auth.reload())), (me) => {
      this.status.markComplete();
      // The admin's cookies are still valid, so go straight in when possible.
      void this.router.navigateByUrl(me ? '/' : '/login');
    });
  }
}

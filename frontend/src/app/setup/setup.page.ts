import { Component, computed, effect, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { PublicLayoutComponent } from '../shared/public-layout.component';
import { SETUP_STEPS, SetupStep, SetupStore, isSetupStep } from './setup.store';
import { AdminStepComponent } from './steps/admin-step.component';
import { EncryptionStepComponent } from './steps/encryption-step.component';
import { MailStepComponent } from './steps/mail-step.component';
import { OrganizationStepComponent } from './steps/organization-step.component';
import { ReviewStepComponent } from './steps/review-step.component';
import { StorageStepComponent } from './steps/storage-step.component';

/** First-run wizard; the current step lives in the URL (/setup/:step). */
@Component({
  selector: 'app-setup-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
    PublicLayoutComponent,
    AdminStepComponent,
    OrganizationStepComponent,
    StorageStepComponent,
    EncryptionStepComponent,
    MailStepComponent,
    ReviewStepComponent,
  ],
  providers: [SetupStore],
  templateUrl: './setup.page.html',
  styleUrl: './setup.page.scss',
})
export class SetupPage {
  /** Route parameter :step (component input binding). */
  readonly step = input<string>();

  protected readonly store = inject(SetupStore);
  private readonly router = inject(Router);
  protected readonly steps = SETUP_STEPS;
  protected readonly current = computed<SetupStep>(() => {
    const s = this.step();
    return isSetupStep(s) ? s : 'admin';
  });

  constructor() {
    this.store.load().subscribe();
    effect(() => {
      if (!this.store.loaded()) return;
      const requested = this.step();
      const current = this.current();
      const adminCreated = this.store.state().adminCreated;
      if (requested !== current) this.go(current);
      else if (current === 'admin' && adminCreated) this.go('organization');
      else if (!this.store.reachable(current)) this.go('admin');
    });
  }

  protected go(step: SetupStep): void {
    void this.router.navigate(['/setup', step]);
  }

  protected next(): void {
    this.go(this.store.nextOf(this.current()));
  }

  protected back(): void {
    this.go(this.store.prevOf(this.current()));
  }
}

import { Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { JobProgressComponent } from '../../admin/storage/job-progress.component';
import { ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { DirectoryRulesStore } from '../directory/directory-rules.store';
import { BASE_TARGETS, IMPORT_KEYS, ImportKey } from '../popup.api';
import { ImportWizardState, WizardStep } from './import-wizard.state';

const STEPS: WizardStep[] = ['upload', 'mapping', 'preview', 'importing', 'done'];

/** CSV import of customers, step by step (see ImportWizardState). */
@Component({
  selector: 'app-popup-import-wizard',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
    JobProgressComponent,
    StatusBannerComponent,
  ],
  providers: [ImportWizardState],
  templateUrl: './import-wizard.page.html',
  styleUrl: './import-wizard.page.scss',
})
export class ImportWizardPage {
  protected readonly w = inject(ImportWizardState);
  private readonly dialog = inject(MatDialog);
  protected readonly steps = STEPS;
  protected readonly keys = IMPORT_KEYS;
  private readonly rules = toSignal(inject(DirectoryRulesStore).load(), { initialValue: { ranks: [], fields: [] } });
  /** What a column can go to: the base fields, the tenant's custom fields, or nothing. */
  protected readonly targets = computed(() => [
    ...BASE_TARGETS.map((t) => ({ value: t, label: null as string | null })),
    ...this.rules().fields.map((f) => ({ value: `custom:${f.key}`, label: f.label })),
  ]);
  protected readonly stepIndex = computed(() => STEPS.indexOf(this.w.step()));

  constructor() {
    this.w.loadSaved();
  }

  protected picked(input: HTMLInputElement): void {
    const file = input.files?.[0];
    if (file) this.w.sendFile(file);
    input.value = '';
  }

  protected keyChanged(value: string): void {
    this.w.setKey(value as ImportKey);
  }

  protected confirm(): void {
    const p = this.w.preview();
    if (!p) return;
    this.dialog
      .open(ConfirmDialogComponent, {
        width: '440px',
        data: {
          titleKey: 'popup.import.confirmTitle',
          messageKey: 'popup.import.confirmMessage',
          params: { create: p.create, update: p.update },
          confirmKey: 'popup.import.confirm',
        },
      })
      .afterClosed()
      .subscribe((ok) => {
        if (ok === true) this.w.confirm();
      });
  }
}

import { Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatListModule } from '@angular/material/list';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { afterConfirm } from '../../shared/confirm-dialog.component';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { timeZoneOptions } from '../../shared/time-zones';
import { bannerProblems, FlexdplayerApi, MAPPED_FIELDS, MappingProfile, SIDECAR_FORMATS } from '../flexdplayer.api';
import { fillProfileForm, profileBody, profileForm } from './profile-form';
import { ProfileTestPanelComponent } from './profile-test-panel.component';

const NEW = 'new';

/** Mapping profiles: the list, an editor (the built-in one read-only, copyable) and the sample tester. */
@Component({
  selector: 'app-flexd-profiles-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatListModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    ProfileTestPanelComponent,
  ],
  templateUrl: './profiles.page.html',
  styleUrl: './profiles.page.scss',
})
export class ProfilesPage {
  private readonly api = inject(FlexdplayerApi);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);
  protected readonly isAdmin = computed(() => this.auth.roles().includes('tenantAdmin'));
  protected readonly form = profileForm(inject(NonNullableFormBuilder));
  protected readonly profiles = signal<MappingProfile[]>([]);
  protected readonly selectedId = signal<string | null>(null);
  protected readonly selected = computed(() => this.profiles().find((p) => p.id === this.selectedId()) ?? null);
  /** The built-in profile and, for auditors, every profile: shown, not edited. */
  protected readonly readOnly = computed(() => !this.isAdmin() || !!this.selected()?.builtIn);
  protected readonly loaded = signal(false);
  protected readonly loading = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly saveErrors = signal<string[] | null>(null);
  protected readonly saved = signal(false);
  protected readonly mappedFields = MAPPED_FIELDS;
  protected readonly formats = SIDECAR_FORMATS;
  protected readonly delimiters = [',', ';', '\t', '|'];
  protected readonly zones = computed(() => timeZoneOptions(this.selected()?.timeZone));
  /** What the tester parses with: the editor's rules unless the stored profile is read-only. */
  protected readonly testRules = computed(() => (this.readOnly() ? null : () => profileBody(this.form)));
  protected readonly testProfileId = computed(() =>
    this.selectedId() === NEW ? 'default' : (this.selectedId() ?? 'default'),
  );

  constructor() {
    this.load();
  }

  protected load(select?: string): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.profiles().subscribe({
      next: (list) => {
        this.loading.set(false);
        this.loaded.set(true);
        this.profiles.set(list);
        this.open(list.find((p) => p.id === (select ?? this.selectedId())) ?? list[0]);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected open(profile: MappingProfile): void {
    this.selectedId.set(profile.id);
    this.saveErrors.set(null);
    this.saved.set(false);
    fillProfileForm(this.form, profile);
    if (this.readOnly()) this.form.disable();
    else this.form.enable();
  }

  /** A new profile starts as a copy of the one shown (the built-in default to begin with). */
  protected copy(): void {
    const from = this.selected() ?? this.profiles()[0];
    this.selectedId.set(NEW);
    this.saveErrors.set(null);
    this.saved.set(false);
    this.form.enable();
    fillProfileForm(this.form, from, `${from.name} (2)`);
  }

  protected delimiterLabel(d: string): string {
    return d === '\t' ? 'TAB' : d;
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const id = this.selectedId();
    const body = profileBody(this.form);
    const request = id === NEW || !id ? this.api.createProfile(body) : this.api.updateProfile(id, body);
    this.busy.set(true);
    this.saveErrors.set(null);
    request.subscribe({
      next: (profile) => {
        this.busy.set(false);
        this.saved.set(true);
        this.selectedId.set(profile.id);
        this.load(profile.id);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.saveErrors.set(bannerProblems(this.form, err));
      },
    });
  }

  protected remove(profile: MappingProfile): void {
    afterConfirm(
      this.dialog,
      {
        titleKey: 'flexdplayer.profiles.deleteTitle',
        messageKey: 'flexdplayer.profiles.deleteMessage',
        params: { name: profile.name },
        confirmKey: 'common.delete',
        danger: true,
      },
      () => this.api.deleteProfile(profile.id),
    ).subscribe({
      next: () => this.load('default'),
      error: (err: unknown) => this.saveErrors.set([apiMessage(err) ?? '']),
    });
  }
}

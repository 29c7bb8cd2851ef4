import { COMMA, ENTER } from '@angular/cdk/keycodes';
import { Component, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { RecordingsApi } from '../recordings.api';
import { CallDetail } from '../recordings.types';

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;
export const MAX_NOTES = 10_000;

/** Tags and notes of a call: edited together, saved with one PATCH (not optimistic: the server may refuse). */
@Component({
  selector: 'app-call-notes',
  imports: [
    FormsModule,
    MatButtonModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
    ResultBannerComponent,
  ],
  template: `
    @if (editable()) {
      <mat-form-field class="full">
        <mat-label>{{ 'recordings.columns.tags' | transloco }}</mat-label>
        <mat-chip-grid #grid [attr.aria-label]="'recordings.columns.tags' | transloco">
          @for (t of tags(); track t) {
            <mat-chip-row (removed)="removeTag(t)" [attr.data-testid]="'tag-' + t">
              {{ t }}
              <button matChipRemove [attr.aria-label]="'recordings.notes.removeTag' | transloco: { tag: t }">
                <mat-icon svgIcon="rec-close" />
              </button>
            </mat-chip-row>
          }
          <input
            [matChipInputFor]="grid"
            [matChipInputSeparatorKeyCodes]="separators"
            (matChipInputTokenEnd)="addTag($event)"
            [attr.maxlength]="maxTagLength"
            [placeholder]="'recordings.notes.addTag' | transloco"
            data-testid="tag-input"
          />
        </mat-chip-grid>
        <mat-hint>{{ 'recordings.notes.tagHint' | transloco: { n: maxTags } }}</mat-hint>
      </mat-form-field>
      <mat-form-field class="full notes-field">
        <mat-label>{{ 'recordings.notes.notes' | transloco }}</mat-label>
        <textarea
          matInput
          rows="5"
          [maxlength]="maxNotes"
          [(ngModel)]="notes"
          (ngModelChange)="dirty.set(true)"
          data-testid="notes-input"
        ></textarea>
        <mat-hint align="end">{{ notes().length }} / {{ maxNotes }}</mat-hint>
      </mat-form-field>
      @if (saving()) {
        <mat-progress-bar mode="indeterminate" />
      }
      <app-result-banner [result]="result()" okKey="common.saved" />
      <div class="form-actions">
        <button mat-flat-button (click)="save()" [disabled]="saving() || !dirty()" data-testid="notes-save">
          {{ 'common.save' | transloco }}
        </button>
      </div>
    } @else {
      <div class="read-only">
        <span class="field-label">{{ 'recordings.columns.tags' | transloco }}</span>
        <p>
          @for (t of call().tags; track t) {
            <span class="tag">{{ t }}</span>
          } @empty {
            <span class="muted">{{ 'recordings.none' | transloco }}</span>
          }
        </p>
        <span class="field-label">{{ 'recordings.notes.notes' | transloco }}</span>
        <p class="notes-text" data-testid="notes-text">{{ call().notes || ('recordings.none' | transloco) }}</p>
      </div>
    }
  `,
  styleUrl: './call-notes.component.scss',
})
export class CallNotesComponent {
  readonly call = input.required<CallDetail>();
  readonly editable = input(false);
  readonly saved = output<void>();

  private readonly api = inject(RecordingsApi);
  protected readonly separators = [ENTER, COMMA];
  protected readonly maxTags = MAX_TAGS;
  protected readonly maxTagLength = MAX_TAG_LENGTH;
  protected readonly maxNotes = MAX_NOTES;
  protected readonly tags = signal<string[]>([]);
  protected readonly notes = signal('');
  protected readonly dirty = signal(false);
  protected readonly saving = signal(false);
  protected readonly result = signal<SaveResult | null>(null);

  constructor() {
    // Take the server's values whenever the call is (re)loaded, unless the user is mid-edit.
    effect(() => {
      const call = this.call();
      untracked(() => {
        if (this.dirty()) return;
        this.tags.set([...call.tags]);
        this.notes.set(call.notes ?? '');
      });
    });
  }

  protected addTag(event: MatChipInputEvent): void {
    const tag = event.value.trim().slice(0, MAX_TAG_LENGTH);
    event.chipInput.clear();
    if (!tag || this.tags().includes(tag) || this.tags().length >= MAX_TAGS) return;
    this.tags.update((t) => [...t, tag]);
    this.dirty.set(true);
  }

  protected removeTag(tag: string): void {
    this.tags.update((t) => t.filter((x) => x !== tag));
    this.dirty.set(true);
  }

  protected save(): void {
    this.saving.set(true);
    this.result.set(null);
    this.api.update(this.call().id, { tags: this.tags(), notes: this.notes() }).subscribe({
      next: () => {
        this.saving.set(false);
        this.dirty.set(false);
        this.result.set({ ok: true, text: null });
        this.saved.emit();
      },
      error: (err: unknown) => {
        this.saving.set(false);
        this.result.set({ ok: false, text: apiMessage(err) });
      },
    });
  }
}

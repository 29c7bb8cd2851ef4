import { Component, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { CallFilterForm } from './call-filter';
import { RECORDING_SOURCES } from './storage.api';

/** Period, number, direction, source, extension and tag fields; `idPrefix` keeps test ids apart. */
@Component({
  selector: 'app-call-filter-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslocoPipe],
  template: `
    <div class="filter-bar" [formGroup]="group()">
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.from' | transloco }}</mat-label>
        <input matInput type="date" formControlName="from" [attr.data-testid]="idPrefix() + '-from'" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.to' | transloco }}</mat-label>
        <input matInput type="date" formControlName="to" [attr.data-testid]="idPrefix() + '-to'" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.number' | transloco }}</mat-label>
        <input matInput formControlName="number" inputmode="tel" [attr.data-testid]="idPrefix() + '-number'" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.direction' | transloco }}</mat-label>
        <mat-select formControlName="direction" [attr.data-testid]="idPrefix() + '-direction'">
          <mat-option value="">{{ 'admin.storage.filter.any' | transloco }}</mat-option>
          @for (d of directions; track d) {
            <mat-option [value]="d">{{ 'admin.storage.direction.' + d | transloco }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.source' | transloco }}</mat-label>
        <mat-select formControlName="source" [attr.data-testid]="idPrefix() + '-source'">
          <mat-option value="">{{ 'admin.storage.filter.any' | transloco }}</mat-option>
          @for (s of sources; track s) {
            <mat-option [value]="s">{{ 'admin.storage.source.' + s | transloco }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.extension' | transloco }}</mat-label>
        <input matInput formControlName="extension" [attr.data-testid]="idPrefix() + '-extension'" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'admin.storage.filter.tag' | transloco }}</mat-label>
        <input matInput formControlName="tag" [attr.data-testid]="idPrefix() + '-tag'" />
      </mat-form-field>
    </div>
  `,
})
export class CallFilterFieldsComponent {
  readonly group = input.required<CallFilterForm>();
  readonly idPrefix = input.required<string>();
  protected readonly directions = ['inbound', 'outbound', 'internal'];
  protected readonly sources = RECORDING_SOURCES;
}

import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { ResultBannerComponent, SaveResult } from '../../shared/result-banner.component';
import { Loaded, LoadStateComponent } from '../load-state';
import { EquipmentReturn, tokyoToday, VendorApi } from '../vendor.api';

/** Rental equipment to come back after the service end (Art. 12.8-9): overdue items stand out. */
@Component({
  selector: 'app-vendor-equipment-returns',
  imports: [MatButtonModule, MatTableModule, TranslocoPipe, LoadStateComponent, ResultBannerComponent],
  template: `
    <section class="section">
      <h2 class="section-title">{{ 'vendor.equipment.title' | transloco }}</h2>
      <app-load-state [state]="items" testId="equipment" />
      <app-result-banner [result]="result()" okKey="vendor.equipment.marked" />
      @if (items.value(); as list) {
        @if (list.length) {
          <div class="table-wrap">
            <table mat-table [dataSource]="list" data-testid="equipment-table">
              <ng-container matColumnDef="serial">
                <th mat-header-cell *matHeaderCellDef>{{ 'vendor.equipment.serial' | transloco }}</th>
                <td mat-cell *matCellDef="let e">{{ e.serialNumber }}</td>
              </ng-container>
              <ng-container matColumnDef="serviceEnd">
                <th mat-header-cell *matHeaderCellDef>{{ 'vendor.contract.serviceEnd' | transloco }}</th>
                <td mat-cell *matCellDef="let e">{{ e.serviceEndDate }}</td>
              </ng-container>
              <ng-container matColumnDef="deadline">
                <th mat-header-cell *matHeaderCellDef>{{ 'vendor.contract.returnDeadline' | transloco }}</th>
                <td mat-cell *matCellDef="let e" [class.danger-text]="overdue(e)">
                  {{ e.deadline }}
                  @if (overdue(e)) {
                    <span class="status-pill danger-text">{{ 'vendor.equipment.overdue' | transloco }}</span>
                  }
                </td>
              </ng-container>
              <ng-container matColumnDef="returned">
                <th mat-header-cell *matHeaderCellDef>{{ 'vendor.equipment.returnedOn' | transloco }}</th>
                <td mat-cell *matCellDef="let e">
                  @if (e.returnedOn) {
                    {{ e.returnedOn }}
                  } @else {
                    <input
                      type="date"
                      [value]="today"
                      #day
                      [attr.aria-label]="'vendor.equipment.returnedOn' | transloco"
                    />
                    <button
                      mat-button
                      type="button"
                      (click)="markReturned(e, day.value)"
                      [attr.data-testid]="'equipment-return-' + e.serialNumber"
                    >
                      {{ 'vendor.equipment.markReturned' | transloco }}
                    </button>
                  }
                </td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let row; columns: columns" [class.overdue-row]="overdue(row)"></tr>
            </table>
          </div>
        } @else {
          <p class="muted" data-testid="equipment-empty">{{ 'vendor.equipment.empty' | transloco }}</p>
        }
      }
    </section>
  `,
  styleUrl: '../vendor.scss',
})
export class EquipmentReturnsComponent {
  private readonly api = inject(VendorApi);
  protected readonly today = tokyoToday();
  readonly items = new Loaded(() => this.api.equipmentReturns());
  protected readonly columns = ['serial', 'serviceEnd', 'deadline', 'returned'];
  protected readonly result = signal<SaveResult | null>(null);

  constructor() {
    this.items.load();
  }

  protected overdue(e: EquipmentReturn): boolean {
    return !e.returnedOn && e.deadline < this.today;
  }

  protected markReturned(e: EquipmentReturn, day: string): void {
    this.result.set(null);
    this.api.markReturned(e.id, day).subscribe({
      next: () => {
        this.result.set({ ok: true, text: null });
        this.items.load();
      },
      error: (err: unknown) => this.result.set({ ok: false, text: apiMessage(err) }),
    });
  }
}

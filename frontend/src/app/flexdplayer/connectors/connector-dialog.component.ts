import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { bannerProblems, Connector, CONNECTOR_TYPES, FlexdplayerApi, MappingProfile } from '../flexdplayer.api';
import { connectorBody, connectorForm, controlOf, fillConnectorForm, showTypeGroup } from './connector-form';

export interface ConnectorDialogData {
  connector: Connector | null;
  profiles: MappingProfile[];
}

/** What the dialog closes with: the saved connector and the secrets to show this once. */
export interface ConnectorSaved {
  connector: Connector;
  pushToken?: string;
  sftpPassword?: string;
}

/** Creates or edits a connector; each type shows its own settings, the server's errors next to their fields. */
@Component({
  selector: 'app-flexd-connector-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  templateUrl: './connector-dialog.component.html',
  styles: `
    .push-hint {
      margin-top: 16px;
    }
  `,
})
export class ConnectorDialogComponent {
  private readonly api = inject(FlexdplayerApi);
  private readonly ref = inject(MatDialogRef<ConnectorDialogComponent, ConnectorSaved>);
  protected readonly data = inject<ConnectorDialogData>(MAT_DIALOG_DATA);
  protected readonly form = connectorForm(inject(NonNullableFormBuilder));
  protected readonly types = CONNECTOR_TYPES;
  protected readonly type = signal(this.data.connector?.type ?? this.form.controls.type.value);
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[] | null>(null);
  protected readonly c = (path: string) => controlOf(this.form, path);

  constructor() {
    if (this.data.connector) fillConnectorForm(this.form, this.data.connector);
    showTypeGroup(this.form, this.type());
    this.form.controls.type.valueChanges.subscribe((t) => {
      this.type.set(t);
      showTypeGroup(this.form, t);
    });
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const creating = !this.data.connector;
    const body = connectorBody(this.form, creating);
    this.busy.set(true);
    this.errors.set(null);
    const request = this.data.connector
      ? this.api.updateConnector(this.data.connector.id, body)
      : this.api.createConnector(body);
    request.subscribe({
      next: (saved) => {
        const { pushToken, ...connector } = saved as Connector & { pushToken?: string };
        this.ref.close({ connector, pushToken, sftpPassword: body.sftpDrop?.password });
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.errors.set(bannerProblems(this.form, err));
      },
    });
  }
}

import { FormControl, FormGroup, NonNullableFormBuilder, Validators } from '@angular/forms';
import { Connector, ConnectorBody, ConnectorType } from '../flexdplayer.api';

/** The SFTP account name rule of the backend (connector-settings.ts USERNAME). */
export const SFTP_USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const SFTP_PASSWORD_MIN = 12;

export type ConnectorForm = ReturnType<typeof connectorForm>;

/** One group per connector type, named as the API names them, so its field errors land on the field. */
export function connectorForm(fb: NonNullableFormBuilder) {
  return fb.group({
    type: fb.control<ConnectorType>('https-push'),
    name: ['', [Validators.required, Validators.maxLength(100)]],
    enabled: [true],
    mappingProfileId: ['default'],
    settleSeconds: [10, [Validators.required, Validators.min(1), Validators.max(3600)]],
    sftpDrop: fb.group({
      username: ['', [Validators.required, Validators.pattern(SFTP_USERNAME)]],
      password: ['', [Validators.minLength(SFTP_PASSWORD_MIN), Validators.pattern(/^\S*$/)]],
      authorizedKeys: [''],
    }),
    sftpPull: fb.group({
      host: ['', [Validators.required, Validators.maxLength(253)]],
      port: [22, [Validators.required, Validators.min(1), Validators.max(65535)]],
      username: ['', [Validators.required, Validators.maxLength(64)]],
      password: [''],
      privateKey: [''],
      passphrase: [''],
      remoteDir: ['/'],
      pollIntervalSeconds: [300, [Validators.required, Validators.min(30), Validators.max(86400)]],
      hostKeySha256: ['', Validators.pattern(/^(SHA256:[A-Za-z0-9+/]{43}=?)?$/)],
    }),
    folder: fb.group({ path: ['', [Validators.required, Validators.pattern(/^\//)]] }),
  });
}

const GROUPS = { 'sftp-drop': 'sftpDrop', 'sftp-pull': 'sftpPull', folder: 'folder', 'https-push': null } as const;

/** Only the chosen type's group counts (validity and value); the others are disabled. */
export function showTypeGroup(form: ConnectorForm, type: ConnectorType): void {
  for (const [t, key] of Object.entries(GROUPS)) {
    if (!key) continue;
    const group = form.controls[key] as FormGroup;
    if (t === type) group.enable({ emitEvent: false });
    else group.disable({ emitEvent: false });
  }
}

/** An existing connector's settings into the form; secrets stay blank (blank = unchanged). */
export function fillConnectorForm(form: ConnectorForm, c: Connector): void {
  form.patchValue({
    type: c.type,
    name: c.name,
    enabled: c.enabled,
    mappingProfileId: c.mappingProfileId,
    settleSeconds: c.settleSeconds,
  });
  if (c.sftpDrop)
    form.controls.sftpDrop.patchValue({
      username: c.sftpDrop.username ?? '',
      authorizedKeys: c.sftpDrop.authorizedKeys.join('\n'),
    });
  if (c.sftpPull)
    form.controls.sftpPull.patchValue({
      host: c.sftpPull.host,
      port: c.sftpPull.port,
      username: c.sftpPull.username,
      remoteDir: c.sftpPull.remoteDir,
      pollIntervalSeconds: c.sftpPull.pollIntervalSeconds,
      hostKeySha256: c.sftpPull.hostKeySha256 ?? '',
    });
  if (c.folder) form.controls.folder.patchValue({ path: c.folder.path });
  form.controls.type.disable();
}

const present = (value: string) => (value.trim() ? value.trim() : undefined);

/** The API body: the chosen type's settings, blank secrets left out (they keep their value). */
export function connectorBody(form: ConnectorForm, creating: boolean): ConnectorBody {
  const v = form.getRawValue();
  const body: ConnectorBody = {
    ...(creating ? { type: v.type } : {}),
    name: v.name.trim(),
    enabled: v.enabled,
    mappingProfileId: v.mappingProfileId === 'default' ? null : v.mappingProfileId,
    settleSeconds: Number(v.settleSeconds),
  };
  if (v.type === 'sftp-drop') {
    body.sftpDrop = {
      username: v.sftpDrop.username.trim(),
      password: present(v.sftpDrop.password),
      authorizedKeys: v.sftpDrop.authorizedKeys
        .split('\n')
        .map((k) => k.trim())
        .filter(Boolean),
    };
  } else if (v.type === 'sftp-pull') {
    const p = v.sftpPull;
    body.sftpPull = {
      host: p.host.trim(),
      port: Number(p.port),
      username: p.username.trim(),
      password: present(p.password),
      privateKey: present(p.privateKey),
      passphrase: present(p.passphrase),
      remoteDir: p.remoteDir.trim() || '/',
      pollIntervalSeconds: Number(p.pollIntervalSeconds),
      hostKeySha256: present(p.hostKeySha256) ?? null,
    };
  } else if (v.type === 'folder') body.folder = { path: v.folder.path.trim() };
  return body;
}

export const controlOf = (form: FormGroup, path: string) => form.get(path) as FormControl;

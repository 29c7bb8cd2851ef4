import { HttpErrorResponse } from '@angular/common/http';
import { NonNullableFormBuilder } from '@angular/forms';
import { TestBed } from '@angular/core/testing';
import { applyFieldProblems } from '../flexdplayer.api';
import { connectorBody, connectorForm, showTypeGroup } from './connector-form';

const form = () => connectorForm(TestBed.inject(NonNullableFormBuilder));

describe('connector form', () => {
  it('counts only the chosen type: an https-push form is valid with a name alone', () => {
    const f = form();
    f.controls.name.setValue('ドコモ');
    showTypeGroup(f, 'https-push');
    expect(f.valid).toBe(true);
    showTypeGroup(f, 'folder');
    expect(f.valid).toBe(false);
    expect(f.get('folder.path')?.hasError('required')).toBe(true);
  });

  it('sends the chosen type settings, without blank secrets and with one key per line', () => {
    const f = form();
    f.patchValue({ type: 'sftp-drop', name: ' 東京 ', mappingProfileId: 'default' });
    f.controls.sftpDrop.patchValue({
      username: 'docomo-tokyo',
      authorizedKeys: 'ssh-ed25519 AAAA a\n\n ssh-rsa BBBB b ',
    });
    showTypeGroup(f, 'sftp-drop');
    const body = connectorBody(f, true);
    expect(body).toEqual({
      type: 'sftp-drop',
      name: '東京',
      enabled: true,
      mappingProfileId: null,
      settleSeconds: 10,
      sftpDrop: {
        username: 'docomo-tokyo',
        password: undefined,
        authorizedKeys: ['ssh-ed25519 AAAA a', 'ssh-rsa BBBB b'],
      },
    });
    expect(JSON.parse(JSON.stringify(body)).sftpDrop).not.toHaveProperty('password');
    expect(connectorBody(f, false)).not.toHaveProperty('type');
  });

  it('puts the server field errors on their fields, an indexed key on the keys box, the rest aside', () => {
    const f = form();
    showTypeGroup(f, 'sftp-drop');
    const err = new HttpErrorResponse({
      status: 400,
      error: {
        statusCode: 400,
        errors: [
          { field: 'sftpDrop.username', message: '3-64 of a-z 0-9' },
          { field: 'sftpDrop.authorizedKeys[1]', message: 'the key data is not base64' },
          { field: 'sftpDrop', message: 'needs a password or at least one authorized key' },
        ],
      },
    });
    const left = applyFieldProblems(f, err);
    expect(f.get('sftpDrop.username')?.getError('server')).toBe('3-64 of a-z 0-9');
    expect(f.get('sftpDrop.authorizedKeys')?.getError('server')).toBe('#2: the key data is not base64');
    expect(left).toEqual(['sftpDrop: needs a password or at least one authorized key']);
  });
});

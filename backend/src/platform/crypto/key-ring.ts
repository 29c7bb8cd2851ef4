import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { loadOrCreateSecretFile } from './secret-file';
import { SecretBox } from './secret-box';

/** The local master key and the token-signing secret, loaded once at start-up. */
@Injectable()
export class KeyRing {
  readonly masterKey: Buffer;
  readonly sessionSecret: string;
  readonly settingsBox: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.masterKey = loadOrCreateSecretFile(config.masterKeyFile, 32);
    this.sessionSecret =
      config.sessionSecret ?? loadOrCreateSecretFile(`${config.dataDir}/session.secret`, 48).toString('base64');
    this.settingsBox = new SecretBox(this.masterKey, 'settings');
  }
}

import type { FlexdPaths } from '../flexdplayer-paths';
import type { FolderSettings, SecretFlags, SftpDropSettings, SftpPullSettings } from './connector-settings';
import type { ConnectorType, FlexdConnector } from './connector.entity';

/** A connector as the API shows it: settings per type, secrets only as "set or not". */
export interface ConnectorView {
  id: string;
  type: ConnectorType;
  name: string;
  enabled: boolean;
  mappingProfileId: string;
  settleSeconds: number;
  lastScanAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Where deliveries are scanned: the inbox (SFTP, push) or the watched folder. */
  scanDir: string;
  sftpDrop?: { username: string | null; passwordSet: boolean; authorizedKeys: string[] };
  sftpPull?: SftpPullSettings & SecretFlags;
  folder?: FolderSettings;
  httpsPush?: { tokenSet: boolean; path: string };
}

export function connectorView(c: FlexdConnector, paths: FlexdPaths): ConnectorView {
  const settings = JSON.parse(c.settings) as Record<string, unknown>;
  const base: ConnectorView = {
    id: c.id,
    type: c.type,
    name: c.name,
    enabled: c.enabled,
    mappingProfileId: c.mappingProfileId ?? 'default',
    settleSeconds: c.settleSeconds,
    lastScanAt: c.lastScanAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    scanDir: paths.dirs(c).scan,
  };
  switch (c.type) {
    case 'sftp-drop':
      return {
        ...base,
        sftpDrop: {
          username: c.sftpUsername,
          passwordSet: !!c.passwordHash,
          authorizedKeys: (settings as unknown as SftpDropSettings).authorizedKeys ?? [],
        },
      };
    case 'sftp-pull':
      return {
        ...base,
        sftpPull: {
          ...(settings as unknown as SftpPullSettings & SecretFlags),
          passwordSet: !!settings['passwordSet'],
          privateKeySet: !!settings['privateKeySet'],
        },
      };
    case 'folder':
      return { ...base, folder: settings as unknown as FolderSettings };
    case 'https-push':
      return { ...base, httpsPush: { tokenSet: !!c.pushTokenHash, path: `/api/v1/flexdplayer/push/${c.id}` } };
  }
}

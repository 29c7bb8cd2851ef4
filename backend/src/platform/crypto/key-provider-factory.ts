import { AwsKmsKeyProvider } from './aws-kms-key-provider';
import { KeyProvider } from './key-provider';
import { LocalKeyProvider } from './local-key-provider';

/** What the setup wizard stores: which provider wraps the tenants' data keys. */
export type EncryptionSettings =
  { mode: 'local' } | { mode: 'kms'; kmsKeyId: string; kmsRegion: string; kmsEndpoint?: string };

export interface LocalMasterKeys {
  /** Every loaded master key by version: old ones stay until no keyRef names them. */
  keys: ReadonlyMap<number, Buffer>;
  current: number;
}

/** Picks the key provider from the stored settings; the only place that knows both drivers. */
export function createKeyProvider(
  settings: EncryptionSettings,
  local: LocalMasterKeys,
  kmsOverrides: { maxAttempts?: number } = {},
): KeyProvider & { close?: () => Promise<void> } {
  if (settings.mode === 'local') return new LocalKeyProvider(local.keys, local.current);
  return new AwsKmsKeyProvider({
    keyId: settings.kmsKeyId,
    region: settings.kmsRegion,
    endpoint: settings.kmsEndpoint,
    ...kmsOverrides,
  });
}

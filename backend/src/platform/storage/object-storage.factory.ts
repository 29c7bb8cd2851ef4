import { LocalObjectStorage } from './local-object-storage';
import { ObjectStorage } from './object-storage';
import { S3ObjectStorage, S3ObjectStorageOptions } from './s3-object-storage';
import { StorageSettings } from './storage-settings';

/** The driver the stored settings (setup wizard) choose. */
export function createObjectStorage(settings: StorageSettings, s3Options?: S3ObjectStorageOptions): ObjectStorage {
  switch (settings.driver) {
    case 'local':
      return new LocalObjectStorage(settings.localPath);
    case 's3':
      return new S3ObjectStorage(settings, s3Options);
  }
}

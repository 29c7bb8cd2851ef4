// The FlexDPlayer SFTP connectors: a built-in drop server and a puller for a remote server.
export { SftpDropServer, type SftpDropServerOptions } from './sftp-drop-server';
export { SftpPuller, SftpPullFailure } from './sftp-puller';
export type {
  AfterDownload,
  PullCompletion,
  SftpPollResult,
  SftpPullError,
  SftpPullerOptions,
  SftpPullerStatus,
} from './sftp-puller';
export { JsonFilePullStateStore, type PullState, type PullStateStore, type FetchedFile } from './pull-state';
export { HostKeyMismatchError } from './remote-sftp';
export { parseAuthorizedKey, verifyArgon2Password } from './sftp-account';
export type { FindSftpAccount, SftpAccount, VerifyPassword } from './sftp-account';
export type { SftpLoginEvent, SftpLoginFailure } from './sftp-auth';
export type { SftpFileReceived } from './sftp-session';
export { loadOrCreateHostKey, sshFingerprint, type HostKeyType } from './host-key';
export { isInProgressName, IN_PROGRESS_PREFIX, IN_PROGRESS_SUFFIX } from './upload-names';
export { ChrootPaths, PathOutsideInboxError } from './chroot-paths';

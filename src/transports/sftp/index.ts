// SFTP transport: poll partners' outboxes into intake, upload to their inboxes (docs/architecture.md#sftp).
export { connectSftp, hostKeyFingerprint, partnerFileLabel, SftpError, type ConnectOptions, type RemoteEntry, type RemoteStat, type SftpErrorKind, type SftpSession } from './client.js';
export { createSftpPoller, SFTP_CHANNEL, type PollOptions, type PollOutcome, type PollResult, type SftpPoller, type SftpPollerOptions, type TakenRemoteFile } from './poller.js';
export { polledPartners, startSftpScheduler, startSftpTransport, type SftpScheduler, type SftpSchedulerOptions, type SftpTransportContext, type SftpTransportHandle } from './scheduler.js';
export { createSftpUploader, type SftpUploader, type SftpUploaderOptions, type SftpUploadRequest, type SftpUploadResult } from './uploader.js';

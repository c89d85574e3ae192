// The delivery stage's channels (src/jobs/deliver.ts OutboundChannel), one per partner: the SFTP
// uploader into the partner's inbox, or the folder writer into its outbound folder. Partners
// without a partner file (the sample partner of `edi start`) may get a local folder (`fallback`).
//
//   const channels = partnerOutboundChannels({ directory, dataDir: 'data', fallback: (code) => `data/outbound/${code}` });
//   startGateway({ db, partners: directory, delivery: { channels } });
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { OutboundChannel, OutboundChannels } from './outbound-channel.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { BUILT_IN } from '../partners/defaults.js';
import type { Partner, PartnerDirectory } from '../partners/types.js';
import type { Database } from '../store/database.js';
import { as2Channel, type As2Partner } from './as2/channel.js';
import { safeFileName } from './common/names.js';
import { writeFileExclusive } from './folder/writer.js';
import { endpointOf } from './sftp/client.js';
import { createSftpUploader, type SftpUploader } from './sftp/uploader.js';

export interface OutboundChannelOptions {
  directory?: PartnerDirectory;
  /** Relative outbound folders of hand-built partners resolve against it. */
  dataDir: string;
  /** A folder for partners without a partner file; undefined: they have no channel. */
  fallback?: (partner: string) => string | undefined;
  /** AS2 partners' channel records its messages there (src/transports/as2/channel.ts); without it they have no channel. */
  db?: Database;
  /** Default: createSftpUploader with one quick retry (the delivery stage does the backoff). */
  uploader?: SftpUploader;
  log?: Logger;
}

export function partnerOutboundChannels(options: OutboundChannelOptions): OutboundChannels {
  const uploader = options.uploader ?? createSftpUploader({ log: options.log ?? silentLogger, retries: 1, retryDelayMs: 500 });
  return (code) => {
    const partner = options.directory?.get(code);
    if (!partner) {
      const folder = options.fallback?.(code);
      if (folder) return folderChannel(folder, BUILT_IN.fileName);
      // A partner file with problems is out of service: say so, not that there is no file.
      const broken = options.directory?.broken?.().find((b) => b.code === code);
      return broken
        ? { missing: `the partner file ${broken.display} has problems (edi partners check), so partner ${code} is out of service: ${broken.errors[0]?.message ?? ''}` }
        : { missing: `partner ${code} has no partner file (partners/${code}.yaml), so there is nowhere to deliver to` };
    }
    if (partner.enabled === false) return { missing: `partner ${code} is disabled (enabled: false in ${code}.yaml)` };
    // Test mode: processed fully, nothing sent (partners/README.md, "Test mode"); the entry stays ready with this reason.
    if (partner.mode === 'test') return { missing: `partner ${code} is in test mode (mode: test in ${code}.yaml): nothing is sent to it` };
    const t = partner.transport;
    if (t.type === 'as2') {
      return options.db
        ? as2Channel(partner as As2Partner, { db: options.db, log: options.log ?? silentLogger })
        : { missing: `partner ${code} sends by AS2, which needs the gateway's database (edi start)` };
    }
    if (!t.outbound) return { missing: `partner ${code} has no outbound mailbox (transport.outbound in ${code}.yaml)` };
    if (t.type === 'folder') {
      const folder = isAbsolute(t.outbound.folder) ? t.outbound.folder : resolve(options.dataDir, t.outbound.folder);
      return folderChannel(folder, t.outbound.fileName);
    }
    return sftpChannel(partner, t.outbound.fileName, uploader);
  };
}

function sftpChannel(partner: Partner, pattern: string, uploader: SftpUploader): OutboundChannel {
  const t = partner.transport;
  return {
    describe: `sftp ${t.type === 'sftp' ? `${endpointOf(t)}${t.outbound?.folder ?? ''}` : ''}`,
    fileNamePattern: pattern,
    async deliver({ name, bytes, resume }) {
      const done = await uploader.upload({ partner, bytes, set: '', control: '', name, resume });
      return { name: done.name, path: done.path, ...(done.alreadyThere ? { alreadyThere: true } : {}) };
    },
  };
}

/** A local folder: the writer's temporary name, fsync and link (never over another file). */
export function folderChannel(folder: string, pattern: string): OutboundChannel {
  return {
    describe: `folder ${folder}`,
    fileNamePattern: pattern,
    async deliver({ name, bytes, resume }) {
      if (resume) {
        const path = join(folder, safeFileName(name));
        const there = await readFile(path).catch(() => undefined);
        if (there && Buffer.compare(there, Buffer.from(bytes)) === 0) return { name: safeFileName(name), path, alreadyThere: true };
      }
      return writeFileExclusive(folder, name, bytes);
    },
  };
}

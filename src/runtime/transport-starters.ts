// The transports `edi start` runs for partner files, one per partner (partner-transports.ts starts,
// restarts and stops them): a watched folder (src/transports/folder) or an SFTP poller on the
// partner's own schedule (src/transports/sftp). Disabled partners (enabled: false) get none.
import type { IntakeInput, IntakeResult } from '../jobs/gateway.js';
import type { Logger } from '../logging/logger.js';
import type { Partner, PartnerDirectory, TransportType } from '../partners/types.js';
import type { Database } from '../store/index.js';
import { startFolderTransport } from '../transports/folder/index.js';
import { startSftpTransport } from '../transports/sftp/index.js';
import { startPartnerTransports, type PartnerTransportStarter, type RunningPartnerTransports } from './partner-transports.js';

/** What every transport gets besides its partner. */
export interface TransportContext {
  db: Database;
  /** The gateway's intake: resolves after COMMIT, throws IntakeError otherwise. */
  intake: (input: IntakeInput) => Promise<IntakeResult>;
  log: Logger;
  /** The live configuration (a transport may read its partner's newest settings at each poll). */
  directory: PartnerDirectory;
}

export type TransportStarters = Partial<Record<TransportType, PartnerTransportStarter<TransportContext>>>;

export interface TransportsOptions {
  /** Relative folders of hand-built partners resolve against it (loaded partners have absolute ones). */
  dataDir: string;
  /** edi start --once: no watching; drain() takes what is there. */
  once?: boolean;
}

/** The watched folder of one folder partner; resolves once it watches (throws when its folder is unusable). */
export function folderStarter(options: TransportsOptions): PartnerTransportStarter<TransportContext> {
  return async (partner: Partner, context: TransportContext) => {
    const handle = startFolderTransport(partner, { intake: context.intake, db: context.db }, {
      log: context.log.child({ partner: partner.code }),
      dataDir: options.dataDir,
      ...(options.once ? { schedule: false } : {}),
    });
    try {
      await handle.ready;
    } catch (error) {
      await handle.stop().catch(() => undefined);
      throw error;
    }
    return handle;
  };
}

export function defaultTransportStarters(options: TransportsOptions): TransportStarters {
  return {
    folder: folderStarter(options),
    // --once: no timer, so that every file is taken by drain() and counted in the run's summary.
    sftp: (partner, context) => startSftpTransport(partner, context, options.once ? { schedule: false } : {}),
  };
}

/** Every enabled partner's transport; `starters` replaces the defaults (tests). */
export function startTransports(directory: PartnerDirectory, context: TransportContext, options: TransportsOptions, starters?: TransportStarters): RunningPartnerTransports {
  return startPartnerTransports<TransportContext>({
    directory,
    starters: starters ?? defaultTransportStarters(options),
    context,
    log: context.log,
  });
}

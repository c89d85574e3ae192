// The transports `edi start` runs for partner files, by transport type: the SFTP poller and
// uploader (src/transports/sftp) and the watched folder (src/transports/folder).
import type { IntakeInput, IntakeResult } from '../../jobs/gateway.js';
import type { Logger } from '../../jobs/ports.js';
import type { PartnerDirectory, TransportType } from '../../partners/types.js';
import type { Database } from '../../store/index.js';
import type { PartnerTransportStarter } from './partner-transports.js';

/** What every transport gets besides its partner. */
export interface TransportContext {
  db: Database;
  /** The gateway's intake: resolves after COMMIT, throws IntakeError otherwise. */
  intake: (input: IntakeInput) => Promise<IntakeResult>;
  log: Logger;
  /** The live configuration (a transport may read its partner's newest settings at each poll). */
  directory: PartnerDirectory;
}

export function defaultTransportStarters(): Partial<Record<TransportType, PartnerTransportStarter<TransportContext>>> {
  return {};
}

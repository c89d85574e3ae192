// Folder partners in temp folders for the folder transport tests, a recording log, and waiting.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FolderTransport, InboundMailbox, OutboundMailbox, Partner } from '../../../src/partners/types.js';
import type { Logger } from '../../../src/logging/logger.js';

export interface FolderSetup {
  root: string;
  inbox: string;
  archive: string;
  outbox: string;
}

/** A fresh temp root with in/, archive/ and out/ paths (the transport makes the folders). */
export function folders(prefix = 'folder-transport-'): FolderSetup {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, inbox: join(root, 'in'), archive: join(root, 'archive'), outbox: join(root, 'out') };
}

/** A folder partner as loadPartners would build it (absolute folders, defaults applied). */
export function folderPartner(
  where: FolderSetup,
  o: { code?: string; inbound?: Partial<InboundMailbox> | null; outbound?: Partial<OutboundMailbox> | null } = {},
): Partner & { transport: FolderTransport } {
  const transport: FolderTransport = {
    type: 'folder',
    ...(o.inbound === null
      ? {}
      : {
          inbound: {
            folder: where.inbox,
            patterns: ['*'],
            ignore: ['*.part', '*.partial', '*.filepart', '*.tmp', '*.temp', '.*', '~*'],
            pollSeconds: 60,
            stableSeconds: 5,
            doneMarker: false,
            archive: { action: 'move', folder: where.archive },
            ...o.inbound,
          },
        }),
    ...(o.outbound === null ? {} : { outbound: { folder: where.outbox, fileName: '{partner}_{set}_{control}_{timestamp}.edi', ...o.outbound } }),
  };
  const code = o.code ?? 'globex';
  return {
    code,
    name: 'Globex',
    file: `/partners/${code}.yaml`,
    mode: 'production',
    enabled: true,
    identity: { isa: { qualifier: 'ZZ', id: 'GLOBEX' }, gs: 'GLOBEX' },
    us: { isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' },
    x12: { version: '004010', delimiters: { element: '*', component: '>', repetition: '^', segment: '~' }, lineBreak: true },
    documents: { inbound: ['850'], outbound: ['855'] },
    acknowledgments: { kind: '997', ta1: 'requested', detail: 'all-sets', allowVariableIsa: false },
    maxFileBytes: 100 * 1024 * 1024,
    transport,
  };
}

export interface LogLine {
  level: string;
  message: string;
  details: Record<string, unknown>;
}

export function memoryLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (details: object, message = '') => void lines.push({ level, message, details: details as Record<string, unknown> });
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => log };
  return { log, lines };
}

/** Polls `check` until it returns true; throws with `what` after timeoutMs. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// Partners for the SFTP tests: a Partner object pointing at a test server, as loadPartners would
// build it from partners/<code>.yaml (secrets held in memory instead of env or files).
import type { InboundMailbox, OutboundMailbox, Partner, Secret, SftpTransport } from '../../../src/partners/types.js';
import type { IntakeResult } from '../../../src/jobs/intake.js';
import type { TransportIntakeInput } from '../../../src/transports/common/intake.js';

export function secretOf(value: string, ref = 'TEST_SECRET'): Secret {
  return { source: 'env', ref, reveal: () => value, revealBytes: () => Buffer.from(value) };
}

export interface ServerAddress {
  host: string;
  port: number;
  username: string;
  password: string;
  fingerprint: string;
  userKey?: { privateKey: string };
}

export interface PartnerOverrides {
  code?: string;
  auth?: 'password' | 'key';
  password?: string;
  privateKey?: string;
  passphrase?: string;
  hostKey?: string;
  insecureAcceptAnyHostKey?: boolean;
  connectTimeoutSeconds?: number;
  timeoutSeconds?: number;
  inbound?: Partial<InboundMailbox> | null;
  outbound?: Partial<OutboundMailbox> | null;
  port?: number;
}

export function sftpPartner(server: ServerAddress, o: PartnerOverrides = {}): Partner & { transport: SftpTransport } {
  const code = o.code ?? 'acme';
  const transport: SftpTransport = {
    type: 'sftp',
    host: server.host,
    port: o.port ?? server.port,
    username: server.username,
    ...(o.insecureAcceptAnyHostKey ? {} : { hostKey: o.hostKey ?? server.fingerprint }),
    insecureAcceptAnyHostKey: o.insecureAcceptAnyHostKey ?? false,
    connectTimeoutSeconds: o.connectTimeoutSeconds ?? 5,
    timeoutSeconds: o.timeoutSeconds ?? 5,
    ...(o.inbound === null
      ? {}
      : {
          inbound: {
            folder: '/outbox',
            patterns: ['*.edi', '*.x12', '*.txt'],
            ignore: ['*.part', '*.tmp', '.*'],
            pollSeconds: 60,
            stableSeconds: 0,
            doneMarker: false,
            archive: { action: 'move', folder: '/outbox/archive' },
            ...o.inbound,
          },
        }),
    ...(o.outbound === null ? {} : { outbound: { folder: '/inbox', fileName: '{partner}_{set}_{control}_{timestamp}.edi', ...o.outbound } }),
  };
  // Secrets are non-enumerable on real partners too.
  if ((o.auth ?? 'password') === 'password') {
    Object.defineProperty(transport, 'password', { value: secretOf(o.password ?? server.password), enumerable: false });
  } else {
    Object.defineProperty(transport, 'privateKey', { value: secretOf(o.privateKey ?? server.userKey!.privateKey, '/etc/edi/key'), enumerable: false });
    if (o.passphrase !== undefined) Object.defineProperty(transport, 'passphrase', { value: secretOf(o.passphrase, 'KEY_PASSPHRASE'), enumerable: false });
  }
  return {
    code,
    name: `${code} Inc`,
    file: `/etc/edi/partners/${code}.yaml`,
    mode: 'production',
    identity: { isa: { qualifier: 'ZZ', id: code.toUpperCase() }, gs: code.toUpperCase() },
    us: { isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' },
    x12: { version: '004010', delimiters: { element: '*', component: '>', repetition: '^', segment: '~' }, lineBreak: true },
    documents: { inbound: ['850'], outbound: ['855'] },
    acknowledgments: { kind: '997', ta1: 'requested', detail: 'all-sets', allowVariableIsa: false },
    maxFileBytes: 200 * 1024 * 1024,
    transport,
  };
}

/** An intake that keeps what it was handed (tests that do not need the database). */
export function memoryIntake(): { intake: (input: TransportIntakeInput) => Promise<Pick<IntakeResult, 'fileId' | 'duplicate'>>; taken: TransportIntakeInput[]; failNext: number } {
  const state = {
    taken: [] as TransportIntakeInput[],
    failNext: 0,
    intake: async (input: TransportIntakeInput) => {
      if (state.failNext > 0) {
        state.failNext--;
        throw new Error('intake failed (test)');
      }
      state.taken.push(input);
      return { fileId: state.taken.length, duplicate: false };
    },
  };
  return state;
}

/** A log that keeps its lines, for asserting what was said. */
export function recordingLog(): { log: import('../../../src/logging/logger.js').Logger; lines: Array<{ level: string; message: string; details: object }> } {
  const lines: Array<{ level: string; message: string; details: object }> = [];
  const at = (level: string) => (details: object, message?: string) => void lines.push({ level, message: message ?? '', details });
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return { log, lines };
}

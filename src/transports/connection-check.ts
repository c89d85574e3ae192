// Tries a partner's connection as the transports will use it, before the partner goes live
// (`edi partners check --connect CODE`, docs/operations.md#bringing-a-partner-live): the server's
// host key (its SHA256 reported, to pin when unknown), the login, each folder's existence and
// rights, and a round trip of a temporary file in the folder we write to. Nothing the partner
// reads is left behind: the temporary file is hidden (a dot name) and removed at once.
//
//   const report = await checkConnection(partner);
//   for (const s of report.steps) console.log(s.ok ? 'ok  ' : 'FAIL', s.what, s.detail);
//   report.outcome;   // 'ok' | 'folders' | 'host-key' | 'login' | 'unreachable'
import { randomUUID } from 'node:crypto';
import { access, constants, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { mailboxesOf } from '../partners/cross-check.js';
import type { Partner } from '../partners/types.js';
import { as2Steps } from './as2-check.js';
import { connectSftp, endpointOf, SftpError, type SftpSession } from './sftp/client.js';

export interface CheckStep {
  what: string;
  ok: boolean;
  detail: string;
}

/** What failed first (in the order a connection fails), or 'ok'. AS2: 'login' our key, 'certificates' an expired certificate. */
export type CheckOutcome = 'ok' | 'folders' | 'host-key' | 'login' | 'unreachable' | 'certificates';

export interface ConnectionReport {
  steps: CheckStep[];
  outcome: CheckOutcome;
  /** SFTP: the fingerprint of the key the server presented (pin it as transport.hostKey). */
  hostKey?: string;
}

export interface CheckOptions {
  /** Overrides the partner's connect timeout (tests). */
  connectTimeoutMs?: number;
  /** AS2 certificates' expiry is judged against it. Default: now. */
  now?: Date;
}

const PROBE = 'written, read back and removed';

/** A name no inbound pattern takes (hidden) and no two checks share. */
function probeName(): string {
  return `.edi-gateway-check-${randomUUID()}.tmp`;
}

export async function checkConnection(partner: Partner, options: CheckOptions = {}): Promise<ConnectionReport> {
  switch (partner.transport.type) {
    case 'sftp':
      return checkSftp(partner, options);
    case 'folder':
      return checkFolders(partner);
    case 'as2':
      return checkAs2(partner, options.now ?? new Date());
  }
}

/** AS2: the certificates, our key against our certificate, the URLs (as2-check.ts); no message is sent. */
function checkAs2(partner: Partner, now: Date): ConnectionReport {
  const found = as2Steps(partner, now);
  const outcome: CheckOutcome = found.some((s) => s.kind === 'key') ? 'login' : found.some((s) => s.kind === 'certificate') ? 'certificates' : 'ok';
  return { steps: found.map(({ kind: _kind, ...step }) => step), outcome };
}

async function checkSftp(partner: Partner, options: CheckOptions): Promise<ConnectionReport> {
  const t = partner.transport;
  if (t.type !== 'sftp') throw new TypeError('not an sftp partner');
  const steps: CheckStep[] = [];
  let hostKey: string | undefined;
  let session: SftpSession;
  try {
    session = await connectSftp(partner, { onHostKey: (seen) => void (hostKey = seen), ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}) });
  } catch (error) {
    const e = error instanceof SftpError ? error : undefined;
    if (e?.kind === 'host-key') {
      steps.push({ what: 'host key', ok: false, detail: hostKey ? `the server presents ${hostKey}, not the pinned ${t.hostKey ?? '(none)'}: once the partner confirms it is theirs, pin it: hostKey: '${hostKey}'` : e.message });
      return { steps, outcome: 'host-key', ...(hostKey ? { hostKey } : {}) };
    }
    if (hostKey) steps.push(hostKeyStep(hostKey, t.insecureAcceptAnyHostKey));
    if (e?.kind === 'auth' || e?.kind === 'secret') {
      steps.push({ what: 'login', ok: false, detail: e.message });
      return { steps, outcome: 'login', ...(hostKey ? { hostKey } : {}) };
    }
    steps.push({ what: 'connection', ok: false, detail: error instanceof Error ? error.message : String(error) });
    return { steps, outcome: 'unreachable', ...(hostKey ? { hostKey } : {}) };
  }
  try {
    if (hostKey) steps.push(hostKeyStep(hostKey, t.insecureAcceptAnyHostKey));
    steps.push({ what: 'login', ok: true, detail: `as ${endpointOf(t)} with ${t.privateKey ? 'a key' : 'a password'}` });
    if (t.inbound) {
      steps.push(await remoteFolder(session, 'inbound folder', t.inbound.folder, 'list'));
      if (t.inbound.archive.action === 'move') {
        const archive = await session.stat(t.inbound.archive.folder).catch(() => undefined);
        steps.push({
          what: 'archive folder', ok: archive === undefined || archive.type === 'dir',
          detail: archive === undefined ? `${t.inbound.archive.folder} does not exist yet: the poller creates it at the first file` : archive.type === 'dir' ? `${t.inbound.archive.folder} exists` : `${t.inbound.archive.folder} is a ${archive.type}, not a folder`,
        });
      }
    }
    if (t.outbound) steps.push(await remoteFolder(session, 'outbound folder', t.outbound.folder, 'write'));
  } finally {
    await session.close();
  }
  return { steps, outcome: steps.every((s) => s.ok) ? 'ok' : 'folders', ...(hostKey ? { hostKey } : {}) };
}

function hostKeyStep(seen: string, any: boolean): CheckStep {
  if (any) return { what: 'host key', ok: true, detail: `${seen} accepted WITHOUT CHECKING (insecureAcceptAnyHostKey): pin it: hostKey: '${seen}'` };
  return { what: 'host key', ok: true, detail: `${seen}, the pinned one` };
}

/** A remote folder exists and we may list it ('list') or write, read back and remove a file in it ('write'). */
async function remoteFolder(session: SftpSession, what: string, folder: string, need: 'list' | 'write'): Promise<CheckStep> {
  try {
    const found = await session.stat(folder);
    if (!found) return { what, ok: false, detail: `${folder} does not exist on the server` };
    if (found.type !== 'dir') return { what, ok: false, detail: `${folder} is a ${found.type}, not a folder` };
    const entries = await session.list(folder);
    if (need === 'list') return { what, ok: true, detail: `${folder}: listed (${entries.length} entries)` };
    const path = posix.join(folder, probeName());
    const bytes = Buffer.from('edi gateway connection check\n');
    await session.upload(path, bytes);
    try {
      const back = await session.stat(path);
      if (back?.size !== bytes.length) return { what, ok: false, detail: `${path}: wrote ${bytes.length} bytes, the server shows ${back?.size ?? 'nothing'}` };
    } finally {
      await session.remove(path).catch(() => undefined);
    }
    const left = await session.stat(path).catch(() => undefined);
    return left ? { what, ok: false, detail: `${path}: written and read back, but it could not be removed (remove it by hand)` } : { what, ok: true, detail: `${folder}: a temporary file ${PROBE}` };
  } catch (error) {
    const e = error instanceof SftpError ? error : undefined;
    const why = e?.kind === 'permission' ? 'permission denied' : e?.kind === 'not-found' ? 'not found' : e ? e.message : String(error);
    return { what, ok: false, detail: `${folder}: ${need === 'list' ? 'cannot list' : 'cannot write a file'}: ${why}` };
  }
}

/** The folder transport: the local folders exist and we may read them, and write in the outbound one. */
async function checkFolders(partner: Partner): Promise<ConnectionReport> {
  const t = mailboxesOf(partner);
  const steps: CheckStep[] = [];
  const local = async (what: string, folder: string, need: 'list' | 'write'): Promise<CheckStep> => {
    try {
      if (!(await stat(folder)).isDirectory()) return { what, ok: false, detail: `${folder} is not a folder` };
      await access(folder, constants.R_OK | constants.X_OK);
      if (need === 'list') return { what, ok: true, detail: `${folder}: readable` };
      const path = join(folder, probeName());
      await writeFile(path, 'edi gateway connection check\n', { flag: 'wx' });
      try {
        await readFile(path);
      } finally {
        await rm(path, { force: true });
      }
      return { what, ok: true, detail: `${folder}: a temporary file ${PROBE}` };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { what, ok: false, detail: `${folder}: ${code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(error)}` };
    }
  };
  if (t.inbound) steps.push(await local('inbound folder', t.inbound.folder, 'list'));
  if (t.outbound) steps.push(await local('outbound folder', t.outbound.folder, 'write'));
  return { steps, outcome: steps.every((s) => s.ok) ? 'ok' : 'folders' };
}

// Checks across partner files: two partners must not share an ISA sender id (we could not tell
// whose file it is), and no folder may serve as two mailboxes (one partner's outbound folder being
// another's inbound folder would feed what we send back into intake), and no two AS2 partners may
// share the pair (their AS2 id, our AS2 id) that tells whose an incoming AS2 message is.
import { posix } from 'node:path';
import { configError, type KeyPath } from './config-error.js';
import type { ConfigError, InboundMailbox, OutboundMailbox, Partner } from './types.js';

export interface CheckedPartner {
  partner: Partner;
  display: string;
  lineOf?: (path: KeyPath) => number | undefined;
}

export function crossCheck(entries: readonly CheckedPartner[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const problem = (e: CheckedPartner, path: KeyPath, found: unknown, expected: string) => {
    const line = e.lineOf?.(path);
    errors.push(configError({ file: e.display, path, found, expected, ...(line ? { line } : {}) }));
  };

  const byIsa = new Map<string, CheckedPartner>();
  for (const e of entries) {
    const { isa } = e.partner.identity;
    const key = `${isa.qualifier}/${isa.id}`;
    const first = byIsa.get(key);
    if (first) problem(e, ['identity', 'isa'], isa, `an ISA sender id that no other partner uses (${first.display} has ${key} too)`);
    else byIsa.set(key, e);
  }

  const as2Pairs = new Map<string, CheckedPartner>();
  for (const e of entries) {
    const t = e.partner.transport;
    if (t.type !== 'as2') continue;
    const key = JSON.stringify([t.as2Id, t.ourKeys.id]);
    const first = as2Pairs.get(key);
    if (first) problem(e, ['transport', 'as2Id'], t.as2Id, `an AS2 id that no other partner uses towards our AS2 id ${t.ourKeys.id} (${first.display} has ${t.as2Id} to ${t.ourKeys.id} too)`);
    else as2Pairs.set(key, e);
  }

  const inboxes = new Map<string, CheckedPartner>();
  for (const e of entries) {
    const inbound = mailboxesOf(e.partner).inbound;
    if (!inbound) continue;
    const key = mailboxKey(e.partner, inbound.folder);
    const first = inboxes.get(key);
    if (first) problem(e, ['transport', 'inbound', 'folder'], inbound.folder, `a folder no other partner takes files from (${first.display} does)`);
    else inboxes.set(key, e);
  }
  for (const e of entries) {
    const outbound = mailboxesOf(e.partner).outbound;
    if (!outbound) continue;
    const reader = inboxes.get(mailboxKey(e.partner, outbound.folder));
    if (reader) {
      const whose = reader === e ? 'this partner\'s own inbound folder' : `the inbound folder of ${reader.display}`;
      problem(e, ['transport', 'outbound', 'folder'], outbound.folder, `a folder nobody takes files from (it is ${whose}: what we send would come back in)`);
    }
  }
  return errors;
}

/** The folders a partner's transport takes files from and puts them into (AS2 has none). */
export function mailboxesOf(partner: Partner): { inbound?: InboundMailbox; outbound?: OutboundMailbox } {
  const t = partner.transport;
  return t.type === 'as2' ? {} : t;
}

/** A mailbox's identity: the local path, or user@host:port plus the remote path. */
export function mailboxKey(partner: Partner, folder: string): string {
  const t = partner.transport;
  if (t.type !== 'sftp') return `file:${folder.replace(/[/\\]+$/, '')}`;
  const path = posix.normalize(folder).replace(/\/+$/, '') || '/';
  return `sftp://${t.username}@${t.host.toLowerCase()}:${t.port}${path.startsWith('/') ? '' : '/~/'}${path}`;
}

// The PartnerDirectory the gateway and the transports read: one consistent configuration at a
// time, replaced as a whole by a successful reload (watch.ts), never partially.
//
//   const directory = partnerDirectory(await loadPartners('partners'));   // after checking errors
//   directory.get('acme'); directory.all(); directory.onChange(({ added, removed, changed }) => ...);
import type { BrokenPartner, GatewaySettings, Partner, PartnerChange, PartnerDirectory, Secret } from './types.js';

export interface MutablePartnerDirectory extends PartnerDirectory {
  broken(): readonly BrokenPartner[];
  /** Puts a new configuration in place; listeners hear about it when something changed. */
  replace(next: { partners: ReadonlyMap<string, Partner>; gateway: GatewaySettings; broken?: readonly BrokenPartner[] }): PartnerChange;
}

export function partnerDirectory(initial: { partners: ReadonlyMap<string, Partner>; gateway?: GatewaySettings; broken?: readonly BrokenPartner[] } = { partners: new Map() }): MutablePartnerDirectory {
  let partners = initial.partners;
  let broken: readonly BrokenPartner[] = initial.broken ?? [];
  let sorted = sortByCode(partners);
  let gateway: GatewaySettings = initial.gateway ?? {};
  let as2 = as2Index(partners, gateway);
  const listeners = new Set<(change: PartnerChange, directory: PartnerDirectory) => void>();

  const directory: MutablePartnerDirectory = {
    get: (code) => partners.get(code),
    all: () => sorted,
    gateway: () => gateway,
    broken: () => broken,
    byAs2: (from, to) => as2.byPair.get(pairKey(from, to)),
    as2Ids: () => as2.ours,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    replace(next) {
      const change = diff(partners, next.partners);
      const gatewayChanged = JSON.stringify(gateway) !== JSON.stringify(next.gateway);
      partners = next.partners;
      sorted = sortByCode(partners);
      gateway = next.gateway;
      broken = next.broken ?? [];
      as2 = as2Index(partners, gateway);
      if (change.added.length || change.removed.length || change.changed.length || gatewayChanged) {
        for (const listener of [...listeners]) listener(change, directory);
      }
      return change;
    },
  };
  return directory;
}

const pairKey = (theirs: string, ours: string) => JSON.stringify([theirs, ours]);

/** AS2 partners by (their id, our id), exact and case-sensitive as RFC 4130 compares them; our ids served. */
function as2Index(partners: ReadonlyMap<string, Partner>, gateway: GatewaySettings): { byPair: ReadonlyMap<string, Partner>; ours: readonly string[] } {
  const byPair = new Map<string, Partner>();
  const ours = new Set<string>(gateway.as2 ? [gateway.as2.id] : []);
  for (const p of partners.values()) {
    const t = p.transport;
    if (t?.type !== 'as2') continue;
    // Loading refuses duplicate pairs; a partner kept on its previous file after a broken reload comes second.
    if (!byPair.has(pairKey(t.as2Id, t.ourKeys.id))) byPair.set(pairKey(t.as2Id, t.ourKeys.id), p);
    ours.add(t.ourKeys.id);
  }
  return { byPair, ours: Object.freeze([...ours].sort()) };
}

function sortByCode(partners: ReadonlyMap<string, Partner>): readonly Partner[] {
  return Object.freeze([...partners.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
}

export function diff(before: ReadonlyMap<string, Partner>, after: ReadonlyMap<string, Partner>): PartnerChange {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [code, partner] of after) {
    const old = before.get(code);
    if (!old) added.push(code);
    else if (old !== partner && fingerprintOf(old) !== fingerprintOf(partner)) changed.push(code);
  }
  for (const code of before.keys()) if (!after.has(code)) removed.push(code);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** Everything a partner says, secrets as their sources (never values): equal fingerprints, same configuration. */
export function fingerprintOf(partner: Partner): string {
  const t = partner.transport;
  const secrets: Record<string, string> = {};
  const add = (name: string, s: Secret | undefined) => {
    if (s) secrets[name] = `${s.source}:${s.ref}`;
  };
  if (t.type === 'sftp') for (const key of ['password', 'privateKey', 'passphrase'] as const) add(key, t[key]);
  if (t.type === 'as2') for (const key of ['privateKey', 'passphrase', 'pkcs12', 'password'] as const) add(`as2.${key}`, t.ourKeys[key]);
  return JSON.stringify({ partner, secrets });
}

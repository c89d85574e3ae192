// File-name patterns of partner files (patterns / ignore): `*` any run of characters, `?` one
// character, everything else literal; matched against the base name, case-sensitively.
//
//   const take = nameFilter(partner.transport.inbound!);   // (name) => boolean
import type { InboundMailbox } from './types.js';

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    cache.set(pattern, (re = new RegExp(`^${body}$`, 's')));
  }
  return re;
}

export function matchesGlob(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

export function matchesAny(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => matchesGlob(p, name));
}

/**
 * Whether a mailbox takes a file of this base name: it matches a pattern and no ignore pattern.
 * With doneMarker, the markers themselves (NAME.done) are never taken as data.
 */
export function nameFilter(mailbox: Pick<InboundMailbox, 'patterns' | 'ignore' | 'doneMarker'>): (name: string) => boolean {
  return (name) =>
    matchesAny(mailbox.patterns, name) && !matchesAny(mailbox.ignore, name) && !(mailbox.doneMarker && name.endsWith('.done'));
}

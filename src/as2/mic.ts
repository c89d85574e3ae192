// The Message Integrity Check of RFC 4130 section 7.3.1: a digest the receiver returns in its MDN, named
// by the micalg names of RFC 5751 section 3.4.3.2 (sha1, sha-256 ...). Readers accept the spellings
// partners send (SHA256, sha-1).
import { createHash } from 'node:crypto';
import type { DigestAlgorithm } from './cms/index.js';

export interface Mic {
  /** micalg name: sha1, sha-256, sha-384, sha-512. */
  algorithm: string;
  /** base64 of the digest. */
  value: string;
}

const MICALG: Readonly<Record<DigestAlgorithm, string>> = {
  sha1: 'sha1', sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512',
};

export function micalgName(digest: DigestAlgorithm): string {
  return MICALG[digest];
}

/** The digest a micalg or hash name means (sha-256, SHA256, sha1, sha-1), undefined for others (md5). */
export function digestOfMicalg(name: string): DigestAlgorithm | undefined {
  const compact = name.trim().toLowerCase().replace(/-/g, '');
  return (['sha1', 'sha256', 'sha384', 'sha512'] as const).find((d) => d === compact);
}

export function computeMic(digest: DigestAlgorithm, bytes: Uint8Array): Mic {
  return { algorithm: micalgName(digest), value: createHash(digest).update(bytes).digest('base64') };
}

/** The first algorithm of a list (signed-receipt-micalg) we support. */
export function firstSupported(names: readonly string[] | undefined): DigestAlgorithm | undefined {
  for (const n of names ?? []) {
    const d = digestOfMicalg(n);
    if (d) return d;
  }
  return undefined;
}

/** Same digest and same value; algorithm spellings compare by meaning, base64 without white space. */
export function micMatches(a: Mic | undefined, b: Mic | undefined): boolean {
  if (!a || !b) return false;
  const da = digestOfMicalg(a.algorithm);
  if (!da || da !== digestOfMicalg(b.algorithm)) return false;
  const va = a.value.replace(/\s+/g, '');
  return va.length > 0 && va === b.value.replace(/\s+/g, '');
}

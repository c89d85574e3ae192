// Secrets handed out by the gateway: session cookies, CSRF tokens and API tokens. Each is 32 random
// bytes in base64url; the database keeps only its sha256 (hex), so a copy of the database logs nobody
// in. A 256-bit random secret needs no slow hash: nobody can guess it, only steal it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API tokens start with this, so a leaked one is recognized (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'edi_';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiToken(): string {
  return API_TOKEN_PREFIX + newSecret();
}

/** What the database keeps of a secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Equal in constant time, whatever the lengths (both hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

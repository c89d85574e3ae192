// Password hashes: scrypt (node:crypto) with a random salt per user and its cost parameters kept in
// the hash string ("$scrypt$ln=17,r=8,p=1$<salt>$<hash>", base64url), so the cost can rise later and old
// hashes still verify. Parameters: OWASP's minimum for scrypt (docs/operations.md#users-and-access).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of N, the CPU and memory cost. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { ln: 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Longer input only costs time; nobody types this much. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 12;
/** Each hash holds 128 * N * r bytes (128 MiB at the default): at most this many at once per process. */
const MAX_CONCURRENT = 2;

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` is the one `stored` was made from; false for a wrong one or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const expected = Buffer.from(m[5]!, 'base64url');
  if (expected.length < 16 || params.ln < 1 || params.ln > 24) return false;
  const key = await derive(password, Buffer.from(m[4]!, 'base64url'), params, expected.length);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time a real verification takes and answers false: for a login name nobody has, so the
 * answer's timing does not tell who exists.
 */
export async function verifyNobody(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<false> {
  dummy ??= hashPassword('not a password of anyone', params);
  await verifyPassword(password, await dummy);
  return false;
}

/** Why a new password is refused, or undefined when it will do. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() !== password) return 'a password cannot start or end with a space';
  return undefined;
}

let running = 0;
const waiting: Array<() => void> = [];

async function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    const N = 2 ** params.ln;
    const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * params.p + 1024 * 1024 };
    // NFC: the same password typed on another system (composed or decomposed accents) still matches.
    const input = password.slice(0, MAX_PASSWORD_LENGTH).normalize('NFC');
    return await new Promise<Buffer>((resolve, reject) => scrypt(input, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
  } finally {
    running--;
    waiting.shift()?.();
  }
}

// The pure parts of access: password hashes, secrets, roles, the login rate limit's verdict, cookies.
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyNobody, verifyPassword } from '../../src/auth/passwords.js';
import { DEFAULT_LOGIN_LIMITS, loginVerdict } from '../../src/auth/rate-limit.js';
import { atLeast, can } from '../../src/auth/roles.js';
import { cookieValue, setCookie } from '../../src/auth/sessions.js';
import { newApiToken, newSecret, sameSecret, secretHash } from '../../src/auth/tokens.js';

const FAST = { ln: 10, r: 8, p: 1 };

describe('passwords', () => {
  it('verify the password a hash was made from and refuse another; each hash has its own salt and its parameters', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain text')).toBe(false);
  });

  it('use OWASP scrypt parameters by default, and the same accents typed composed or decomposed match', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 123');
    expect(stored.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('cafe\u0301 au lait 123', stored)).toBe(true);
  });

  it('spend the time of a real check for a name nobody has, and say no', async () => {
    await verifyNobody('warm up', FAST);
    expect(await verifyNobody('anything at all', FAST)).toBe(false);
  });

  it('refuse short passwords and padded ones', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem(' twelve chars ok ')).toMatch(/space/);
    expect(passwordProblem('twelve chars ok')).toBeUndefined();
  });
});

describe('secrets', () => {
  it('are 32 random bytes in base64url; the database gets their sha256; API tokens are recognizable', () => {
    const s = newSecret();
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(newSecret()).not.toBe(s);
    expect(secretHash(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(newApiToken()).toMatch(/^edi_[A-Za-z0-9_-]{43}$/);
    expect(sameSecret(s, s)).toBe(true);
    expect(sameSecret(s, s.slice(1))).toBe(false);
  });
});

describe('roles', () => {
  it('rank viewer < operator < admin; actions name their least role', () => {
    expect(atLeast('admin', 'operator')).toBe(true);
    expect(atLeast('viewer', 'operator')).toBe(false);
    expect(can('viewer', 'documents.view')).toBe(true);
    expect(can('viewer', 'documents.replay')).toBe(false);
    expect(can('operator', 'documents.replay')).toBe(true);
    expect(can('operator', 'users.manage')).toBe(false);
    expect(can('admin', 'users.manage')).toBe(true);
  });
});

describe('login rate limit', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  it('allows up to the limit, then refuses until the oldest counted failure leaves the window', () => {
    expect(loginVerdict({ username: [ago(1), ago(2), ago(3), ago(4)], address: [] }, DEFAULT_LOGIN_LIMITS, now)).toEqual({ allowed: true });
    expect(loginVerdict({ username: [ago(1), ago(2), ago(3), ago(4), ago(10)], address: [] }, DEFAULT_LOGIN_LIMITS, now))
      .toEqual({ allowed: false, by: 'username', retryAfterSeconds: 5 * 60 });
    // Failures older than the window do not count.
    expect(loginVerdict({ username: [ago(1), ago(2), ago(3), ago(4), ago(16)], address: [] }, DEFAULT_LOGIN_LIMITS, now)).toEqual({ allowed: true });
  });

  it('counts per client address too', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ago(i / 2));
    expect(loginVerdict({ username: [], address: twenty }, DEFAULT_LOGIN_LIMITS, now)).toMatchObject({ allowed: false, by: 'address' });
  });
});

describe('cookies', () => {
  it('carry HttpOnly, SameSite=Lax, Path=/ and Secure when asked; the value is read back from a Cookie header', () => {
    expect(setCookie('edi_session', 'abc', { secure: true, maxAge: 60 })).toBe('edi_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(setCookie('edi_session', 'abc', { secure: false, maxAge: 60 })).not.toContain('Secure');
    expect(cookieValue('a=1; edi_session=xyz; b=2', 'edi_session')).toBe('xyz');
    expect(cookieValue('a=1', 'edi_session')).toBeUndefined();
  });
});

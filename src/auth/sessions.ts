// Browser sessions: how long they live and the cookie that carries them. A session ends after
// `idleMs` without a request or `absoluteMs` after login, whichever comes first, or at logout.

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** last_seen is written at most this often (not on every request). */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 2 * 3600_000, absoluteMs: 12 * 3600_000, touchEveryMs: 60_000 };

export const SESSION_COOKIE = 'edi_session';

export interface CookieFlags {
  /** Sent only over https (see docs/operations.md#users-and-access for when it is left out). */
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/** A Set-Cookie value: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts), Path=/. */
export function setCookie(name: string, value: string, flags: CookieFlags): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(flags.maxAge))}${flags.secure ? '; Secure' : ''}`;
}

/** The value of cookie `name` in a Cookie header, if any (the first one). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

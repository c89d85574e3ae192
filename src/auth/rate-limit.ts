// Login rate limits: so many failed logins per login name and per client address in a sliding window.
// The attempts are rows in the database (login_attempts), so the limits hold across gateway processes;
// this module only decides from them. A success clears the name's count (not the address's).

export interface Limit {
  /** Failures allowed within the window; the next attempt is refused. */
  max: number;
  windowMs: number;
}

export interface LoginLimits {
  perUsername: Limit;
  perAddress: Limit;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perUsername: { max: 5, windowMs: 15 * 60_000 },
  perAddress: { max: 20, windowMs: 15 * 60_000 },
};

/** The failures that count, newest first (at most `max` of each are needed). */
export interface RecentFailures {
  username: readonly Date[];
  address: readonly Date[];
}

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; by: 'username' | 'address' };

export function loginVerdict(failures: RecentFailures, limits: LoginLimits, now: Date): LoginVerdict {
  const waits: Array<{ by: 'username' | 'address'; ms: number }> = [];
  for (const by of ['username', 'address'] as const) {
    const limit = by === 'username' ? limits.perUsername : limits.perAddress;
    const inWindow = failures[by].filter((at) => now.getTime() - at.getTime() < limit.windowMs);
    // A slot frees when the max-th newest failure leaves the window.
    if (inWindow.length >= limit.max) waits.push({ by, ms: inWindow[limit.max - 1]!.getTime() + limit.windowMs - now.getTime() });
  }
  if (!waits.length) return { allowed: true };
  const longest = waits.reduce((a, b) => (b.ms > a.ms ? b : a));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(longest.ms / 1000)), by: longest.by };
}

/** Where to look back from: the longer of the two windows. */
export function lookbackStart(limits: LoginLimits, now: Date): Date {
  return new Date(now.getTime() - Math.max(limits.perUsername.windowMs, limits.perAddress.windowMs));
}

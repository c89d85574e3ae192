// The circuit breaker's states over a fake clock, and the post stage's retry arithmetic (capped
// backoff, the retry window, the folded timeline).
import { describe, expect, it } from 'vitest';
import { circuitBreaker, type BreakerChange } from '../../src/jobs/circuit-breaker.js';
import { backoffSeconds, notedTry, retriesRunOut } from '../../src/jobs/post-retry.js';
import { postingSettings } from '../../src/jobs/posting-settings.js';

function clocked() {
  let t = 1_000_000;
  const changes: BreakerChange[] = [];
  const breaker = circuitBreaker({ failures: 3, coolDownSeconds: 5, maxCoolDownSeconds: 20 }, { now: () => t, onChange: (c) => changes.push(c) });
  return { breaker, changes, advance: (ms: number) => void (t += ms), now: () => t };
}

describe('circuit breaker', () => {
  it('opens after the set number of failures in a row; an answer in between starts the count again', () => {
    const { breaker, changes } = clocked();
    breaker.report('call', false);
    breaker.report('call', false);
    breaker.report('call', true);
    breaker.report('call', false);
    breaker.report('call', false);
    expect(breaker.status().state).toBe('closed');
    expect(breaker.admit()).toBe('call');
    breaker.report('call', false);
    expect(breaker.status()).toMatchObject({ state: 'open', failures: 3 });
    expect(changes.map((c) => [c.from, c.to, c.first])).toEqual([['closed', 'open', true]]);
    // Calls let through before it opened fail too: no second opening.
    breaker.report('call', false);
    expect(changes).toHaveLength(1);
  });

  it('lets one probe through after the cool-down, doubles the cool-down after each failed probe up to the cap, closes on an answer', () => {
    const { breaker, changes, advance } = clocked();
    for (let i = 0; i < 3; i++) breaker.report('call', false);
    expect(breaker.admit()).toEqual({ waitSeconds: 5 });
    advance(4_000);
    expect(breaker.admit()).toEqual({ waitSeconds: 1 });
    advance(1_000);
    expect(breaker.admit()).toBe('probe');
    // One probe at a time: the others wait.
    expect(breaker.admit()).toMatchObject({ waitSeconds: expect.any(Number) });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      breaker.report('probe', false);
      const wait = breaker.admit() as { waitSeconds: number };
      waits.push(wait.waitSeconds);
      advance(wait.waitSeconds * 1000);
      expect(breaker.admit()).toBe('probe');
    }
    expect(waits).toEqual([10, 20, 20, 20]);
    breaker.report('probe', true);
    expect(breaker.status().state).toBe('closed');
    expect(breaker.admit()).toBe('call');
    const closing = changes.at(-1)!;
    expect(closing).toMatchObject({ from: 'half-open', to: 'closed', downMs: 75_000 });
    // Opening again later starts from the first cool-down.
    for (let i = 0; i < 3; i++) breaker.report('call', false);
    expect(breaker.admit()).toEqual({ waitSeconds: 5 });
    expect(changes.filter((c) => c.to === 'open' && c.first)).toHaveLength(2);
  });

  it('a probe ticket that was not used goes to the next asker', () => {
    const { breaker, advance } = clocked();
    for (let i = 0; i < 3; i++) breaker.report('call', false);
    advance(5_000);
    expect(breaker.admit()).toBe('probe');
    breaker.release();
    expect(breaker.status().state).toBe('open');
    expect(breaker.admit()).toBe('probe');
  });
});

describe('post retries', () => {
  const settings = postingSettings({ retryForSeconds: 24 * 3600, maxRetryDelaySeconds: 300 }, { limit: 5, delaySeconds: 1, backoff: true });

  it('back off exponentially up to the cap', () => {
    expect([1, 2, 3, 8, 9, 10, 40].map((a) => backoffSeconds(settings, a))).toEqual([1, 2, 4, 128, 256, 300, 300]);
  });

  it('run out only once the window passed and the least number of retries were made', () => {
    const since = 0;
    const hour = 3600_000;
    expect(retriesRunOut(settings, 6, since, 23 * hour)).toBe(false);
    expect(retriesRunOut(settings, 3, since, 25 * hour)).toBe(false);
    expect(retriesRunOut(settings, 6, since, 24 * hour)).toBe(true);
  });

  it('are noted on the timeline for the first four tries, then at each doubling', () => {
    expect(Array.from({ length: 40 }, (_, i) => i + 1).filter(notedTry)).toEqual([1, 2, 3, 4, 8, 16, 32]);
  });

  it('give a failing document some 290 tries over a day with the defaults, a dozen of them noted', () => {
    const defaults = postingSettings();
    let elapsed = 0;
    let tries = 1;
    while (!retriesRunOut(defaults, tries, 0, elapsed * 1000)) elapsed += backoffSeconds(defaults, tries++);
    expect(defaults.retryForSeconds).toBe(24 * 3600);
    expect(tries).toBeGreaterThan(250);
    expect(tries).toBeLessThan(300);
    expect(Array.from({ length: tries }, (_, i) => i + 1).filter(notedTry).length).toBeLessThanOrEqual(12);
  });
});

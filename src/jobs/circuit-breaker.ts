// A circuit breaker in front of the posting target, so that an outage costs a few probes instead of
// a call per waiting document and try. It is in-process: each gateway process has its own, learns of
// the outage from its own calls and probes on its own (a few probes per process, not per document).
//
//   closed    --(`failures` failed calls in a row)-->          open
//   open      --(cool-down over: one call let through)-->       half-open (the probe)
//   half-open --(the probe failed: cool-down doubled, capped)--> open
//   any       --(a call answered: posted, or a business refusal)--> closed
//
// A failure is any error the post stage would retry (transient, auth, protocol, an uncoded error): the
// target did not do its work. A business refusal means the target answered, so it counts as success.
// The state machine is pure over an injected clock; the caller logs and acts on `onChange`.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Failed calls in a row that open the breaker (default 5). */
  failures: number;
  /** Wait before the first probe, in seconds (default 5); doubled after each failed probe. */
  coolDownSeconds: number;
  /** The longest wait between probes, in seconds (default 300). */
  maxCoolDownSeconds: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 5, coolDownSeconds: 5, maxCoolDownSeconds: 300 };

/** What the post stage may do with one document now. */
export type Ticket = 'call' | 'probe' | { waitSeconds: number };

export interface BreakerStatus {
  state: BreakerState;
  /** When the state last changed (ms since the epoch). */
  since: number;
  /** Failed calls in a row. */
  failures: number;
  /** While open: when the next probe may go (ms since the epoch). */
  nextProbeAt?: number;
  /** While not closed: when it opened first (the outage's start as this process saw it). */
  downSince?: number;
}

export interface BreakerChange {
  from: BreakerState;
  to: BreakerState;
  status: BreakerStatus;
  /** How long the breaker was not closed, when it closes (ms). */
  downMs?: number;
  /** The first opening of an outage (not a reopening after a failed probe). */
  first?: boolean;
}

export interface CircuitBreaker {
  status(): BreakerStatus;
  /** Asks to call the target for one document: a call (closed), the one probe, or how long to wait. */
  admit(): Ticket;
  /** The outcome of a call made with a ticket: `answered` false for a failure the post stage retries. */
  report(ticket: 'call' | 'probe', answered: boolean): void;
  /** A probe ticket that was not used (its document could not be claimed): the next admit probes. */
  release(): void;
}

export function circuitBreaker(settings: BreakerSettings, options: { now?: () => number; onChange?: (change: BreakerChange) => void } = {}): CircuitBreaker {
  const now = options.now ?? Date.now;
  const minCool = settings.coolDownSeconds * 1000;
  const maxCool = Math.max(minCool, settings.maxCoolDownSeconds * 1000);
  let state: BreakerState = 'closed';
  let since = now();
  let failures = 0;
  let coolMs = minCool;
  let nextProbeAt = 0;
  /** When the outage began (the first opening), for the closing's log line. */
  let downSince = 0;

  const status = (): BreakerStatus => ({ state, since, failures, ...(state === 'closed' ? {} : { nextProbeAt, downSince }) });
  const move = (to: BreakerState, extra: Partial<BreakerChange> = {}) => {
    const from = state;
    state = to;
    since = now();
    options.onChange?.({ from, to, status: status(), ...extra });
  };
  const open = (first: boolean) => {
    nextProbeAt = now() + coolMs;
    if (first) downSince = now();
    move('open', { first });
  };

  return {
    status,
    admit() {
      if (state === 'closed') return 'call';
      if (state === 'open' && now() >= nextProbeAt) {
        move('half-open');
        return 'probe';
      }
      // Half-open: the probe is out; its outcome decides. Ask again after a cool-down (a close wakes the waiting).
      const wait = state === 'open' ? nextProbeAt - now() : coolMs;
      return { waitSeconds: Math.max(wait, 100) / 1000 };
    },
    report(ticket, answered) {
      if (answered) {
        failures = 0;
        coolMs = minCool;
        if (state !== 'closed') move('closed', { downMs: now() - downSince });
        return;
      }
      failures++;
      if (state === 'closed' && failures >= settings.failures) open(true);
      else if (state === 'half-open' && ticket === 'probe') {
        coolMs = Math.min(coolMs * 2, maxCool);
        open(false);
      }
      // A call let through before the breaker opened, failing now, changes nothing.
    },
    release() {
      if (state !== 'half-open') return;
      state = 'open';
      nextProbeAt = now();
    },
  };
}

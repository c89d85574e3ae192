// Readiness of the pipeline: its stage loops run and can fetch jobs.
import type { Gateway } from './gateway.js';

/**
 * The posting target as this process's circuit breaker sees it: 'ok' while closed, else since when it
 * is down and when the next probe goes. Informational: a gateway whose target is down still receives
 * files, acknowledges and maps them, so it stays ready.
 */
export function postingTargetReadiness(gateway: Pick<Gateway, 'status'>): { readonly name: string; readonly informational: true; check(): Promise<string | undefined> } {
  return {
    name: 'posting target',
    informational: true,
    async check() {
      const target = gateway.status().target;
      if (!target || target.breaker.state === 'closed') return undefined;
      const { state, downSince, nextProbeAt } = target.breaker;
      const probe = state === 'half-open' ? 'a probe is out' : `next probe in ${Math.max(0, Math.round(((nextProbeAt ?? Date.now()) - Date.now()) / 1000))} s`;
      return `${target.name} is down: circuit breaker ${state}, down since ${new Date(downSince ?? Date.now()).toISOString()}, documents wait in mapped (${probe})`;
    },
  };
}

export function workersReadiness(gateway: Pick<Gateway, 'status'>): { readonly name: string; check(): Promise<string | undefined> } {
  return {
    name: 'workers',
    async check() {
      const { workers, failing } = gateway.status();
      if (workers === 'none') return 'no stage workers run in this process';
      if (workers === 'stopping') return 'stopping';
      const queues = Object.entries(failing);
      return queues.length ? `cannot fetch jobs: ${queues.map(([q, e]) => `${q}: ${e}`).join('; ')}` : undefined;
    },
  };
}

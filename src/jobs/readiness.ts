// Readiness of the pipeline: its stage loops run and can fetch jobs.
import type { Gateway } from './gateway.js';

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

// Registers the proof suite's scenarios (proof/scenarios/) as vitest tests, at the short size, on the
// test run's PostgreSQL: after recovery no transaction is lost and none is posted twice. Shared by the
// test files that run them (test/proof/), each taking the scenarios `pick` selects.
import { describe, expect, inject, it } from 'vitest';
import type { ProofContext } from '../../proof/harness.js';
import { scenarios } from '../../proof/scenarios/index.js';
import { formatTable, type ProofResult } from '../../proof/tally.js';

const ctx = (): ProofContext => ({
  url: inject('databaseUrl') ?? process.env.DATABASE_URL!,
  size: 'short',
  seed: Number(process.env.PROOF_SEED ?? 20261207),
  say: () => undefined,
});

// Seconds each short scenario may take (measured 12-50 s on a busy 2-core machine).
const TIMEOUT_S: Record<string, number> = { kill: 90, database: 60, embedded: 120, target: 120, sftp: 60, repeats: 60 };

export function shortScenarioTests(title: string, pick: (name: string) => boolean): void {
  describe(title, () => {
    for (const scenario of scenarios.filter((s) => pick(s.name))) {
      it(`${scenario.name}: nothing lost, nothing duplicated`, { timeout: (TIMEOUT_S[scenario.name] ?? 60) * 1000 }, async () => {
        const out = await scenario.run(ctx());
        const results: ProofResult[] = Array.isArray(out) ? out : [out];
        console.log(formatTable(results));
        for (const r of results) {
          expect(r.transactions, r.scenario).toBeGreaterThan(0);
          expect({ scenario: r.scenario, lost: r.lost, duplicated: r.duplicated, recovered: r.recoverSeconds !== null }, r.notes).toEqual({ scenario: r.scenario, lost: 0, duplicated: 0, recovered: true });
        }
      });
    }
  });
}

// The proof suite's short run (proof/, `npm run proof` runs the full one): each fault scenario with
// small counts, on the test run's PostgreSQL. Whatever the fault, after recovery no transaction is
// lost and none is posted twice. Always the short size, whatever PROOF_SHORT says.
import { describe, expect, inject, it } from 'vitest';
import type { ProofContext } from '../../proof/harness.js';
import { scenarios } from '../../proof/scenarios/index.js';
import { formatTable, tally, type ProofResult } from '../../proof/tally.js';

const ctx = (): ProofContext => ({
  url: inject('databaseUrl') ?? process.env.DATABASE_URL!,
  size: 'short',
  seed: Number(process.env.PROOF_SEED ?? 20261207),
  say: () => undefined,
});

// Seconds each short scenario may take (measured 15-50 s on a busy 2-core machine).
const TIMEOUT_S: Record<string, number> = { kill: 90, database: 60, target: 120, sftp: 60, repeats: 60 };

describe('the proof tally', () => {
  it('counts keys never posted (or whose document did not end posted) as lost and postings beyond the first as duplicated', () => {
    const t = tally(['A', 'B', 'C', 'D'], ['A', 'B', 'B', 'B', 'D', 'X', 'X'], new Set(['A', 'B']));
    expect(t).toEqual({ lost: 2, duplicated: 3, lostKeys: ['C', 'D'], duplicatedKeys: ['B', 'X'] });
  });
});

describe('the proof suite, short', () => {
  const rows: ProofResult[] = [];
  for (const scenario of scenarios) {
    it(`${scenario.name}: nothing lost, nothing duplicated`, { timeout: (TIMEOUT_S[scenario.name] ?? 60) * 1000 }, async () => {
      const out = await scenario.run(ctx());
      const results = Array.isArray(out) ? out : [out];
      rows.push(...results);
      console.log(formatTable(results));
      for (const r of results) {
        expect(r.transactions, r.scenario).toBeGreaterThan(0);
        expect({ scenario: r.scenario, lost: r.lost, duplicated: r.duplicated, recovered: r.recoverSeconds !== null }, r.notes).toEqual({ scenario: r.scenario, lost: 0, duplicated: 0, recovered: true });
      }
    });
  }
});

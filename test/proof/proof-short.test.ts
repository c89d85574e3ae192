// The proof suite's short run (proof/, `npm run proof` runs the full one): each fault scenario with
// small counts, on the test run's PostgreSQL. Whatever the fault, after recovery no transaction is
// lost and none is posted twice. Always the short size, whatever PROOF_SHORT says. The embedded
// PostgreSQL scenario runs from a file of its own (proof-embedded-short.test.ts): it needs no shared
// database, so it runs beside this one and the two stay under two minutes each.
import { describe, expect, it } from 'vitest';
import { tally } from '../../proof/tally.js';
import { shortScenarioTests } from '../support/proof-scenarios.js';

describe('the proof tally', () => {
  it('counts keys never posted (or whose document did not end posted) as lost and postings beyond the first as duplicated', () => {
    const t = tally(['A', 'B', 'C', 'D'], ['A', 'B', 'B', 'B', 'D', 'X', 'X'], new Set(['A', 'B']));
    expect(t).toEqual({ lost: 2, duplicated: 3, lostKeys: ['C', 'D'], duplicatedKeys: ['B', 'X'] });
  });
});

shortScenarioTests('the proof suite, short', (name) => name !== 'embedded');

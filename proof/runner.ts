// Runs scenarios one after the other (they share two cores with the gateway processes they start)
// and turns each into table rows; one that throws is a row of its own that fails the proof.
import { messageOf } from '../src/errors/failure.js';
import type { ProofContext } from './harness.js';
import { scenarios } from './scenarios/index.js';
import { formatTable, type ProofResult } from './tally.js';

export async function runScenarios(ctx: ProofContext, only?: readonly string[]): Promise<{ results: ProofResult[]; table: string }> {
  const results: ProofResult[] = [];
  for (const scenario of scenarios.filter((s) => !only?.length || only.includes(s.name))) {
    const t0 = Date.now();
    ctx.say(`proof: ${scenario.name} (${ctx.size}) ...`);
    let rows: ProofResult[];
    try {
      const out = await scenario.run(ctx);
      rows = Array.isArray(out) ? out : [out];
    } catch (error) {
      rows = [{ scenario: scenario.name, files: 0, transactions: 0, lost: 0, duplicated: 0, recoverSeconds: null, notes: `did not finish: ${messageOf(error)}` }];
    }
    for (const row of rows) ctx.say(`proof: ${row.scenario}: lost ${row.lost}, duplicated ${row.duplicated}, recovered in ${row.recoverSeconds ?? 'never'} s (${Math.round((Date.now() - t0) / 1000)} s) - ${row.notes}`);
    results.push(...rows);
  }
  return { results, table: formatTable(results) };
}

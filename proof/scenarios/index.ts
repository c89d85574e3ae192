// The proof's scenarios, in the order the table lists them. Each runs on a schema of its own and
// returns one or more rows; a scenario that throws becomes a row that says so (and fails the run).
import type { ProofContext } from '../harness.js';
import type { ProofResult } from '../tally.js';
import { databaseCutScenario } from './database-cut.js';
import { embeddedKillScenario } from './embedded-kill.js';
import { killStormScenario } from './kill-storm.js';
import { repeatsScenario } from './repeats.js';
import { sftpCutsScenario } from './sftp-cuts.js';
import { targetFaultsScenario } from './target-faults.js';

export interface Scenario {
  name: string;
  run(ctx: ProofContext): Promise<ProofResult | ProofResult[]>;
}

export const scenarios: Scenario[] = [
  { name: 'kill', run: killStormScenario },
  { name: 'database', run: databaseCutScenario },
  { name: 'embedded', run: embeddedKillScenario },
  { name: 'target', run: targetFaultsScenario },
  { name: 'sftp', run: sftpCutsScenario },
  { name: 'repeats', run: repeatsScenario },
];

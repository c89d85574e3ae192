// The proof suite's embedded PostgreSQL scenario, short (proof/scenarios/embedded-kill.ts): a real
// `edi start` with its own embedded server, whose postmaster is SIGKILLed twice while files go
// through its drop folder; every file stored once, every transaction posted once.
import { shortScenarioTests } from '../support/proof-scenarios.js';

shortScenarioTests('the proof suite, short: the embedded PostgreSQL killed', (name) => name === 'embedded');

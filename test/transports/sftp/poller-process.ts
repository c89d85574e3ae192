// One gateway process that polls one SFTP mailbox, for the two-process test:
//   node --import tsx test/transports/sftp/poller-process.ts
// Environment: DATABASE_URL, EDI_SCHEMA, SFTP_PORT, SFTP_USER, SFTP_PASSWORD, SFTP_FINGERPRINT,
// PARTNER, NAME. Prints "ready", polls once "go" arrives on stdin, until three polls in a row find
// nothing to take (or MAX_RUNTIME_MS), then prints one JSON line { taken, polls, locked } and exits.
import { createInterface } from 'node:readline';
import { startGateway } from '../../../src/jobs/gateway.js';
import { openDatabase } from '../../../src/store/index.js';
import { createSftpPoller } from '../../../src/transports/sftp/poller.js';
import { sftpPartner } from './support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`poller-process: ${name} is required\n`);
    process.exit(64);
  }
  return value;
};
const maxRuntime = Number(process.env.MAX_RUNTIME_MS ?? '60000');
const deadline = setTimeout(() => process.exit(70), maxRuntime);
deadline.unref();

const db = await openDatabase({ databaseUrl: env('DATABASE_URL'), schema: env('EDI_SCHEMA'), migrate: false, maxConnections: 6 });
const gateway = await startGateway({ db, workers: false });
const partner = sftpPartner(
  { host: '127.0.0.1', port: Number(env('SFTP_PORT')), username: env('SFTP_USER'), password: env('SFTP_PASSWORD'), fingerprint: env('SFTP_FINGERPRINT') },
  { code: env('PARTNER') },
);
const poller = createSftpPoller({ db, intake: (input) => gateway.intake(input), concurrency: 4, maxFilesPerPoll: 50 });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

const taken: string[] = [];
let polls = 0;
let locked = 0;
let quiet = 0;
while (quiet < 3) {
  const r = await poller.poll(partner, { force: true });
  polls++;
  if (r.outcome === 'locked') {
    locked++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    continue;
  }
  if (r.outcome !== 'done') process.stderr.write(`[${process.env.NAME}] ${r.outcome}: ${r.error}\n`);
  taken.push(...r.taken.filter((t) => !t.earlier).map((t) => t.name));
  quiet = r.taken.length === 0 && r.pending === 0 ? quiet + 1 : 0;
}
process.stdout.write(`${JSON.stringify({ taken, polls, locked })}\n`);
await gateway.stop();
await db.close();
process.exit(0);

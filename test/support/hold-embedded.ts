// Starts the embedded server in the folder given as argv[2], prints "ready <port>" and waits, so a
// test can kill its postmaster while this process (its parent) is stopped: a zombie postmaster, as
// left by a gateway killed where nothing reaps orphans. Exits after MAX_RUNTIME_MS (default 60 s).
import { startEmbeddedPostgres } from '../../src/store/embedded.js';

const server = await startEmbeddedPostgres({ dataDir: process.argv[2]!, ephemeral: true });
process.stdout.write(`ready ${server.port}\n`);
setTimeout(() => process.exit(0), Number(process.env.MAX_RUNTIME_MS ?? '60000'));

// npm run bench:transports: the SFTP transport on loopback, in this process on this machine.
//   1. pickup: 1,000 small files in one mailbox, taken by one poll through intake (committed in the
//      database) and the archive rename; files/s from connect to the last archive.
//   2. download: one 100 MiB file read into memory (parallel requests), MiB/s.
//   3. upload: one 100 MiB file through the uploader (temporary name, stat, rename), MiB/s.
// Against the in-process ssh2 server (test/support/sftp-server.ts; it shares the CPU with the
// client) and, when installed and running as root, Debian's OpenSSH sshd (test/support/openssh.ts).
// DATABASE_URL when set (schema bench_transports, dropped first), else an embedded server in a temp folder.
// Options: --files N --mib N --openssh auto|no. Ends with one JSON line.
import { benchDatabase } from './bench-database.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startGateway, type Gateway } from '../src/jobs/gateway.js';
import { quoteIdent } from '../src/store/identifiers.js';
import { openDatabase, type Database } from '../src/store/index.js';
import { connectSftp } from '../src/transports/sftp/client.js';
import { createSftpPoller } from '../src/transports/sftp/poller.js';
import { createSftpUploader } from '../src/transports/sftp/uploader.js';
import { opensshUnavailable, startOpenSsh } from '../test/support/openssh.js';
import { startSftpServer } from '../test/support/sftp-server.js';
import { sftpPartner, type ServerAddress } from '../test/transports/sftp/support.js';

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    mib: { type: 'string', default: '100' },
    openssh: { type: 'string', default: 'auto' },
  },
});
const FILES = Number(args.files);
const MIB = Number(args.mib);
const SCHEMA = 'bench_transports';
const say = (line: string) => process.stderr.write(line + '\n');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

interface Server extends ServerAddress {
  put(path: string, content: string | Uint8Array): Promise<void>;
  ls(path: string): Promise<string[]>;
}

interface Figures {
  server: string;
  files: number;
  filesPerSecond: number;
  downloadMiBps: number;
  uploadMiBps: number;
}

/** An X12-looking file of about 600 bytes, different for each n (intake keeps duplicates apart by hash). */
function smallFile(n: number): string {
  const control = String(n).padStart(9, '0');
  return [
    `ISA*00*          *00*          *ZZ*BENCHPARTNER   *ZZ*OURCOMPANY     *261101*1200*U*00401*${control}*0*P*>~`,
    `GS*PO*BENCHPARTNER*OURCOMPANY*20261101*1200*${n}*X*004010~`,
    `ST*850*0001~`,
    `BEG*00*SA*PO-${control}**20261101~`,
    `PO1*1*10*EA*9.95**VP*SKU-${n}~`,
    `CTT*1~`,
    `SE*5*0001~`,
    `GE*1*${n}~`,
    `IEA*1*${control}~`,
    '',
  ].join('\n');
}

async function measure(name: string, server: Server, db: Database, gateway: Gateway): Promise<Figures> {
  const code = `bench-${name}`;
  say(`${name}: putting ${FILES} files into /outbox...`);
  for (let i = 0; i < FILES; i++) await server.put(`/outbox/po-${String(i).padStart(5, '0')}.edi`, smallFile(i));
  const poller = createSftpPoller({ db, intake: (input) => gateway.intake(input), concurrency: 8, maxFilesPerPoll: FILES + 10 });
  const partner = sftpPartner(server, { code });
  let started = Date.now();
  const result = await poller.poll(partner, { force: true });
  const pickupSeconds = (Date.now() - started) / 1000;
  const archived = result.taken.filter((t) => t.state === 'archived').length;
  if (result.outcome !== 'done' || archived !== FILES) throw new Error(`${name}: ${archived} of ${FILES} files archived (${result.outcome}: ${result.error ?? ''})`);
  const filesPerSecond = Math.round(FILES / pickupSeconds);
  say(`${name}: ${FILES} files through intake and archive in ${pickupSeconds.toFixed(2)} s: ${filesPerSecond} files/s`);

  const big = Buffer.alloc(MIB * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
  await server.put('/big.bin', big);
  const session = await connectSftp(partner);
  let downloadMiBps: number;
  try {
    started = Date.now();
    const got = await session.download('/big.bin', big.length);
    const seconds = (Date.now() - started) / 1000;
    if (!got.equals(big)) throw new Error(`${name}: the downloaded file differs`);
    downloadMiBps = Math.round((MIB / seconds) * 10) / 10;
  } finally {
    await session.close();
  }
  say(`${name}: download of ${MIB} MiB: ${downloadMiBps} MiB/s`);

  started = Date.now();
  await createSftpUploader().upload({ partner, bytes: big, set: '855', control: 1 });
  const uploadMiBps = Math.round((MIB / ((Date.now() - started) / 1000)) * 10) / 10;
  say(`${name}: upload of ${MIB} MiB (temporary name, stat, rename): ${uploadMiBps} MiB/s`);
  return { server: name, files: FILES, filesPerSecond, downloadMiBps, uploadMiBps };
}

async function main(): Promise<void> {
  const bench = await benchDatabase(100, say);
  const url = bench.url;
  let gateway: Gateway | undefined;
  let db: Database | undefined;
  const results: Figures[] = [];
  let opensshSkipped: string | undefined;
  try {
    const cleanup = await openDatabase({ databaseUrl: url, schema: SCHEMA, migrate: false });
    for (const s of [SCHEMA, `${SCHEMA}_boss`]) await cleanup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
    await cleanup.close();
    db = await openDatabase({ databaseUrl: url, schema: SCHEMA, maxConnections: 16 });
    gateway = await startGateway({ db, workers: false });

    const inProcess = await startSftpServer();
    try {
      results.push(await measure('ssh2-in-process', inProcess, db, gateway));
    } finally {
      await inProcess.close();
    }

    opensshSkipped = args.openssh === 'no' ? '--openssh no' : opensshUnavailable();
    if (opensshSkipped) {
      say(`openssh: skipped (${opensshSkipped})`);
    } else {
      const sshd = await startOpenSsh();
      try {
        results.push(await measure('openssh', sshd, db, gateway));
      } finally {
        await sshd.stop();
      }
    }
  } finally {
    await gateway?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    clearInterval(sampler);
    await bench.close();
  }
  const figures = {
    bench: 'transports',
    database: bench.embedded ? 'embedded' : 'DATABASE_URL',
    files: FILES,
    mib: MIB,
    sftp: results,
    ...(opensshSkipped ? { opensshSkipped } : {}),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await main();

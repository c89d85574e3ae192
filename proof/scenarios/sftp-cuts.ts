// Scenario 4: the partner's SFTP server (test/support/sftp-server.ts, in this process) cuts the
// connection mid-transfer, after an archive rename it carried out but never answered, drops every
// session at random moments, and refuses logins for a stretch (down), while the gateway's poller
// takes a batch of files. After the faults every file must be stored once and archived, every
// transaction posted once.
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { createSftpPoller } from '../../src/transports/sftp/poller.js';
import { seeded } from '../../test/support/gateway-children.js';
import { startSftpServer, type TestSftpServer } from '../../test/support/sftp-server.js';
import { sftpPartner } from '../../test/transports/sftp/support.js';
import { recovered, scenarioDatabase, storedCounts, tallyRecording, type ProofContext } from '../harness.js';
import { someKeys, type ProofResult } from '../tally.js';

export async function sftpCutsScenario(ctx: ProofContext): Promise<ProofResult> {
  const full = ctx.size === 'full';
  const FILES = full ? 120 : 24;
  const SETS = 20;
  const FAULTY_POLLS = full ? 40 : 8;
  const DOWN_MS = full ? 20_000 : 2_000;
  const random = seeded(ctx.seed + 4);
  const db = await scenarioDatabase(ctx.url, 'sftp');
  let gateway: Gateway | undefined;
  let server: TestSftpServer | undefined;
  try {
    gateway = await startGateway({ db });
    server = await startSftpServer();
    const partner = sftpPartner(server, { code: 'proofsftp', inbound: { stableSeconds: 0 } });
    // About 50 KB per file: a cut lands mid-file.
    const files = burst(FILES, SETS, { sender: 'PROOFSFTP', lines: 40 });
    for (const f of files) await server.put(`/outbox/${f.name}`, f.bytes);
    const expected = files.flatMap((f) => f.poNumbers);
    const poller = createSftpPoller({ db, intake: (input) => gateway!.intake(input), backoff: { baseSeconds: 0.2, maxSeconds: 1 }, maxFilesPerPoll: 6 });
    const left = async () => (await server!.ls('/outbox')).filter((n) => n !== 'archive').length;
    let cuts = 0;
    let failedPolls = 0;
    const poll = async () => {
      const r = await poller.poll(partner, { force: true });
      if (r.outcome !== 'done') failedPolls++;
    };
    // Faulty polls: a cut after a random number of bytes read, sometimes after an archive rename, and
    // a drop of every session at a random moment during the poll.
    for (let p = 0; p < FAULTY_POLLS && (await left()) > 0; p++) {
      server.faults = { dropAfterReadBytes: Math.floor(random() * 250_000) };
      if (random() < 0.3) server.faults.dropAfterRename = () => true;
      const dropIn = Math.floor(random() * 400);
      const drop = sleep(dropIn).then(() => random() < 0.3 && (server!.dropAll(), true));
      await poll();
      if (await drop) cuts++;
      cuts++;
    }
    // The server down: every login refused for a while.
    server.faults = { refuseLogins: true };
    const downUntil = Date.now() + DOWN_MS;
    while (Date.now() < downUntil) {
      await poll();
      await sleep(200);
    }
    server.faults = {};
    const backAt = Date.now();
    while ((await left()) > 0 && Date.now() - backAt < 120_000) await poll();
    const recoverSeconds = await recovered(db, expected, backAt, full ? 120_000 : 30_000);
    await gateway.idle(30_000).catch(() => undefined);
    const t = await tallyRecording(db, expected);
    const stored = await storedCounts(db);
    const archived = (await server.ls('/outbox/archive')).length;
    return {
      scenario: `sftp cut x${cuts} + down ${DOWN_MS / 1000}s`,
      files: FILES,
      transactions: expected.length,
      lost: t.lost + Math.max(0, FILES - stored.files),
      duplicated: t.duplicated + Math.max(0, stored.files - FILES),
      recoverSeconds,
      notes: `${failedPolls} polls failed; files stored ${stored.files}, archived ${archived}, left ${await left()}${t.lost ? `; lost ${someKeys(t.lostKeys)}` : ''}`,
    };
  } finally {
    await gateway?.stop();
    await server?.close();
    await db.drop();
  }
}

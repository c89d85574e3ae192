// npm run bench:outbound: Odoo events -> 855s delivered, the figure. Set-up: OUTBOUND_ORDERS
// (default 1,000) one-line 850s from one customer go through the gateway into the Odoo double (in its
// own process, answering every call in 20 ms) as confirmed sale orders. Then:
//   1. burst: a webhook for every order at once (gateway.queueOutbound, as the route does): each 855
//      is built (the order read afresh), checked, numbered, queued and uploaded to the customer's
//      SFTP inbox (Debian's OpenSSH when it can run, else the in-process ssh2 server); documents/s from
//      the first webhook to the last upload, p50/p99 webhook -> delivered;
//   2. steady: OUTBOUND_STEADY_SECONDS (default 30) of 10 webhooks a second; p50/p99.
// DATABASE_URL when set (schema bench_outbound, dropped first), else an embedded server. Ends with one
// JSON line. Targets (issue 12): >= 100 documents/s, p99 < 5 s at a steady 10/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchDatabase } from './bench-database.js';
import { startDoubleProcess } from './odoo-double-child.js';
import { burstFile } from './pipeline-files.js';
import { startGateway, type Gateway } from '../src/jobs/gateway.js';
import { storedInbound } from '../src/jobs/outbound.js';
import { OUTBOUND_BUILDERS } from '../src/odoo/builders/index.js';
import { odooOutboundSource } from '../src/odoo/builders/source.js';
import { createOdooClient, type OdooClient } from '../src/odoo/client/client.js';
import { odooTarget } from '../src/odoo/target.js';
import { partnerDirectory } from '../src/partners/directory.js';
import type { Partner } from '../src/partners/types.js';
import { listOutboundDocuments, openDatabase, type Database } from '../src/store/index.js';
import { quoteIdent } from '../src/store/identifiers.js';
import { partnerOutboundChannels } from '../src/transports/outbound.js';
import { opensshUnavailable, startOpenSsh } from '../test/support/openssh.js';
import { startSftpServer } from '../test/support/sftp-server.js';
import { sftpPartner } from '../test/transports/sftp/support.js';
import { noMappings } from '../test/odoo/support/mappings.js';

const ORDERS = Number(process.env.OUTBOUND_ORDERS ?? 1000);
const STEADY_SECONDS = Number(process.env.OUTBOUND_STEADY_SECONDS ?? 30);
const STEADY_RATE = 10;
const ANSWER_MS = 20;
const IN_FLIGHT = Number(process.env.OUTBOUND_IN_FLIGHT ?? 32);
const SCHEMA = 'bench_outbound';
const SENDER = 'OUTBUYER';
const say = (line: string) => process.stderr.write(line + '\n');

interface Figures {
  documents: number;
  delivered: number;
  seconds: number;
  documentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** The sale orders of the next `count` 850s, posted and confirmed through the gateway. */
async function confirmedOrders(gateway: Gateway, client: OdooClient, first: number, count: number): Promise<number[]> {
  const files = Array.from({ length: count }, (_, i) => burstFile(first + i, 1, { sender: SENDER, lines: 1 }));
  for (const f of files) await gateway.intake({ partner: 'outbuyer', channel: 'bench', sourceName: f.name, bytes: f.bytes });
  await gateway.idle(600_000);
  const refs = files.flatMap((f) => f.poNumbers);
  const orders = await client.searchRead('sale.order', [['client_order_ref', 'in', refs], ['state', '=', 'sale']], { fields: ['id'] });
  if (orders.length !== count) throw new Error(`set-up: ${orders.length} of ${count} orders confirmed`);
  return orders.map((o) => o.id);
}

/** Waits until every order's 855 is sent; webhook -> delivered per order. */
async function deliveredAfter(db: Database, webhookAt: ReadonlyMap<number, number>, timeoutMs: number): Promise<Figures> {
  const deadline = Date.now() + timeoutMs;
  let sent: { sourceId: number; sentAt: Date | null }[] = [];
  for (;;) {
    const docs = (await listOutboundDocuments(db, { partner: 'outbuyer', limit: 1_000_000 })).filter((d) => webhookAt.has(d.sourceId));
    sent = docs.filter((d) => d.sentAt !== null);
    if (sent.length >= webhookAt.size || Date.now() > deadline) break;
    await sleep(200);
  }
  const latencies = sent.map((d) => d.sentAt!.getTime() - webhookAt.get(d.sourceId)!).sort((a, b) => a - b);
  const first = Math.min(...webhookAt.values());
  const last = Math.max(...sent.map((d) => d.sentAt!.getTime()));
  const seconds = (last - first) / 1000;
  return { documents: webhookAt.size, delivered: sent.length, seconds: Number(seconds.toFixed(1)), documentsPerSecond: Math.round(sent.length / seconds), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

async function main(): Promise<void> {
  const bench = await benchDatabase(100, say);
  const setup = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, migrate: false, maxConnections: 2 });
  for (const s of [SCHEMA, `${SCHEMA}_boss`]) await setup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
  await setup.close();
  const db = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, maxConnections: 20 });
  const odoo = await startDoubleProcess({ answerMs: ANSWER_MS, senders: [SENDER] });
  const skipped = process.env.OUTBOUND_OPENSSH === 'no' ? 'OUTBOUND_OPENSSH=no' : opensshUnavailable();
  const server = skipped ? await startSftpServer() : await startOpenSsh();
  const serverName = skipped ? `ssh2 in this process (OpenSSH: ${skipped})` : 'OpenSSH sshd';
  const dir = mkdtempSync(join(tmpdir(), 'edi-outbound-'));
  const partner: Partner = {
    ...sftpPartner(server, { code: 'outbuyer', inbound: null }),
    name: 'Outbound buyer',
    identity: { isa: { qualifier: 'ZZ', id: SENDER }, gs: SENDER },
    us: { isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' },
    documents: { inbound: ['850'], outbound: ['855'] },
    odoo: { partner: { ref: SENDER }, confirmOrders: true },
  };
  const directory = partnerDirectory({ partners: new Map([['outbuyer', partner]]) });
  const client = createOdooClient({ url: odoo.url, db: odoo.db, username: odoo.login, apiKey: odoo.apiKey, maxConcurrent: IN_FLIGHT });
  const gateway = await startGateway({
    db, partners: directory, posting: { callsInFlight: IN_FLIGHT },
    target: odooTarget({ client, partner: (c) => directory.get(c), productMappings: noMappings }),
    delivery: { channels: partnerOutboundChannels({ directory, dataDir: dir }), batchSize: 50 },
    outbound: { source: odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS }), pollSeconds: 0, buildsInFlight: IN_FLIGHT },
  });
  const figures: Record<string, unknown> = { bench: 'outbound', database: bench.embedded ? 'embedded' : 'DATABASE_URL', sftp: serverName, odooAnswerMs: ANSWER_MS, inFlight: IN_FLIGHT };
  try {
    say(`set-up: ${ORDERS} 850s -> confirmed sale orders in the double ...`);
    const orders = await confirmedOrders(gateway, client, 1, ORDERS);
    say(`burst: a webhook for each of ${ORDERS} confirmed orders at once; 855s to ${serverName}`);
    const burstAt = new Map<number, number>();
    for (const id of orders) {
      burstAt.set(id, Date.now());
      await gateway.queueOutbound('sale.order', id, 'webhook');
    }
    const burst = await deliveredAfter(db, burstAt, 600_000);
    say(`  ${burst.delivered} of ${burst.documents} delivered in ${burst.seconds} s: ${burst.documentsPerSecond} documents/s; webhook -> delivered p50 ${burst.p50Ms} ms, p99 ${burst.p99Ms} ms`);
    figures.burst = burst;

    const steadyCount = STEADY_RATE * STEADY_SECONDS;
    say(`steady: set-up of ${steadyCount} more orders ...`);
    const more = await confirmedOrders(gateway, client, ORDERS + 1, steadyCount);
    say(`steady: ${STEADY_RATE} webhooks/s for ${STEADY_SECONDS} s`);
    const steadyAt = new Map<number, number>();
    const t0 = performance.now();
    for (const [i, id] of more.entries()) {
      const wait = t0 + (i * 1000) / STEADY_RATE - performance.now();
      if (wait > 0) await sleep(wait);
      steadyAt.set(id, Date.now());
      await gateway.queueOutbound('sale.order', id, 'webhook');
    }
    const steady = await deliveredAfter(db, steadyAt, 300_000);
    say(`  ${steady.delivered} of ${steady.documents} delivered; webhook -> delivered p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms`);
    figures.steady = steady;
    figures.targets = {
      burstDocumentsPerSecond: { target: 100, met: burst.delivered === burst.documents && burst.documentsPerSecond >= 100 },
      steadyP99Ms: { target: 5000, met: steady.delivered === steady.documents && steady.p99Ms < 5000 },
    };
  } finally {
    await gateway.stop();
    await odoo.close();
    await ('stop' in server ? server.stop() : server.close());
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await main();

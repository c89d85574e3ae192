// npm run bench:odoo: what posting into Odoo costs. Drops BENCH_ORDERS (default 100) one-line 850s at
// once (one file each, handed to intake as a transport would) through the whole pipeline (split,
// validate, map, post) into Odoo through the gateway's Odoo target, and prints orders/s from the first
// drop to the last posting, and the Odoo calls per posted order by model.method.
//   Odoo: ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY (docs/odoo.md#configuration) when set, else the
//   Odoo 18 test double in this process, every call answered after BENCH_ODOO_MS (default 35: the
//   issue's real Odoo 18 spent about 0.36 s on the 10 calls of an order).
//   Seeds what the orders need, found again on a later run (so a real database can run it again): a
//   customer with ref EDI-BENCH, its delivery addresses 'STORE <n>' with ref S<n> (n < BENCH_STORES,
//   default 5: the N1*ST*...*92 of each order) and the product SKU-1 (the line's VN id). A real run's
//   PO numbers carry the time, so each run creates its own orders.
//   Database: DATABASE_URL (schema bench_odoo, dropped first), else an embedded PostgreSQL.
//   Env: BENCH_ORDERS, BENCH_STORES, BENCH_ODOO_MS, BENCH_GATEWAY (GatewayOptions, JSON), ODOO_CACHE_SECONDS,
//   ODOO_MAX_CONCURRENT (calls in flight, default 4; 1 plays an Odoo with workers = 0).
// Ends with one JSON line of the figures.
import { benchDatabase } from './bench-database.js';
import { latencies } from './latencies.js';
import { burstFile } from './pipeline-files.js';
import { startGateway } from '../src/jobs/gateway.js';
import { createOdooClient, type OdooClient } from '../src/odoo/client/client.js';
import { odooCacheSecondsFromEnv, odooOptionsFromEnv } from '../src/odoo/config.js';
import { odooTarget } from '../src/odoo/target.js';
import type { Partner } from '../src/partners/types.js';
import { mappedProductCodes, openDatabase } from '../src/store/index.js';
import { quoteIdent, tableIn } from '../src/store/identifiers.js';
import { startOdooDouble, type OdooDouble } from '../test/odoo-double/index.js';
import { recordingClient } from '../test/odoo/support/recording-client.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const STORES = Number(process.env.BENCH_STORES ?? 5);
const ODOO_MS = Number(process.env.BENCH_ODOO_MS ?? 35);
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_odoo';
const GATEWAY_OPTIONS = JSON.parse(process.env.BENCH_GATEWAY ?? '{}') as Partial<Parameters<typeof startGateway>[0]>;
const CUSTOMER_REF = 'EDI-BENCH';
const SENDER = 'BENCHBUYER';

const say = (line: string) => process.stderr.write(line + '\n');

/** The record `domain` finds, else the one `values` creates. */
async function findOrCreate(client: OdooClient, model: string, domain: unknown[], values: Record<string, unknown>): Promise<number> {
  const [id] = await client.search(model, domain, { limit: 1 });
  return id ?? client.create(model, values);
}

async function seed(client: OdooClient): Promise<void> {
  const customer = await findOrCreate(client, 'res.partner', [['ref', '=', CUSTOMER_REF], ['parent_id', '=', false]], { name: 'EDI Bench Stores', ref: CUSTOMER_REF, is_company: true });
  for (let n = 0; n < STORES; n++) {
    await findOrCreate(client, 'res.partner', [['ref', '=', `S${n}`], ['parent_id', '=', customer]], { name: `STORE ${n}`, parent_id: customer, type: 'delivery', ref: `S${n}` });
  }
  const version = await client.version();
  await findOrCreate(client, 'product.product', [['default_code', '=', 'SKU-1']], { name: 'Bench Item 1', default_code: 'SKU-1', type: 'consu', ...(version >= 18 ? { is_storable: true } : {}), list_price: 3.5 });
}

async function main(): Promise<void> {
  const fromEnv = odooOptionsFromEnv(process.env);
  let double: OdooDouble | undefined;
  if (!fromEnv) double = await startOdooDouble({ version: 18 });
  // ODOO_MAX_CONCURRENT=1 plays a single-worker Odoo (the issue's workers = 0 answered one call at a time).
  const concurrent = Number(process.env.ODOO_MAX_CONCURRENT ?? 4);
  const options = fromEnv ?? { url: double!.url, db: double!.dbName, username: double!.login, apiKey: double!.apiKey, maxConcurrent: concurrent };
  const client = recordingClient(createOdooClient(options));
  await seed(client);
  if (double) double.faults.slow(ODOO_MS);
  say(`Odoo: ${fromEnv ? `${fromEnv.url} (${fromEnv.db})` : `the Odoo 18 double, ${ODOO_MS} ms per call, ${concurrent} in flight`}; ${ORDERS} one-line 850s to ${STORES} stores`);

  const bench = await benchDatabase(100, say);
  const setup = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, migrate: false, maxConnections: 2 });
  for (const s of [SCHEMA, `${SCHEMA}_boss`]) await setup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
  await setup.close();
  const db = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, maxConnections: 20 });
  const partner = { code: 'benchbuyer', name: 'EDI Bench Stores', file: 'partners/benchbuyer.yaml', odoo: { partner: { ref: CUSTOMER_REF } } } as unknown as Partner;
  const cacheSeconds = odooCacheSecondsFromEnv(process.env);
  const target = odooTarget({
    client,
    partner: () => partner,
    productMappings: (p, codes) => mappedProductCodes(db, p, codes),
    ...(cacheSeconds !== undefined ? { cacheSeconds } : {}),
  });
  const gateway = await startGateway({ ...GATEWAY_OPTIONS, db, target });
  // A real Odoo keeps the orders of earlier runs: this run's PO numbers start elsewhere.
  const first = fromEnv ? (Math.floor(Date.now() / 1000) % 9000) * 100 + 1 : 1;
  const files = Array.from({ length: ORDERS }, (_, i) => burstFile(first + i, 1, { sender: SENDER, lines: 1, stores: STORES }));
  const before = client.calls.length;
  let figures: Record<string, unknown>;
  try {
    const taken = await Promise.all(files.map((f) => gateway.intake({ partner: 'benchbuyer', channel: 'bench', sourceName: f.name, bytes: f.bytes })));
    await gateway.idle(30 * 60_000);
    const fileIds = taken.map((t) => t.fileId);
    const lat = await latencies(db, fileIds);
    const { rows } = await db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE file_id = ANY($1::bigint[]) GROUP BY state`, [fileIds]);
    const states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    const seconds = (lat.lastPosted.getTime() - lat.firstArrival.getTime()) / 1000;
    const calls = client.calls.slice(before);
    const perOrder: Record<string, number> = {};
    for (const c of calls) perOrder[`${c.model}.${c.method}`] = (perOrder[`${c.model}.${c.method}`] ?? 0) + 1;
    for (const k of Object.keys(perOrder)) perOrder[k] = Number((perOrder[k]! / Math.max(1, lat.documents)).toFixed(2));
    const ordersPerSecond = lat.documents / seconds;
    say(`${lat.documents} posted in ${seconds.toFixed(2)} s (first drop -> last posted): ${ordersPerSecond.toFixed(2)} orders/s; p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms`);
    say(`Odoo calls per posted order: ${(calls.length / Math.max(1, lat.documents)).toFixed(2)}`);
    for (const [k, v] of Object.entries(perOrder).sort((a, b) => b[1] - a[1])) say(`  ${k} ${v}`);
    if (states['posted'] !== ORDERS) say(`NOT ALL POSTED: ${JSON.stringify(states)}`);
    figures = {
      bench: 'odoo', odoo: fromEnv ? 'real' : 'double-18', odooMs: fromEnv ? null : ODOO_MS, callsInFlight: fromEnv ? (fromEnv.maxConcurrent ?? 4) : concurrent, orders: ORDERS, stores: STORES, states,
      seconds: Number(seconds.toFixed(2)), ordersPerSecond: Number(ordersPerSecond.toFixed(2)), p50Ms: lat.p50Ms, p99Ms: lat.p99Ms,
      callsPerOrder: Number((calls.length / Math.max(1, lat.documents)).toFixed(2)), callsPerOrderByMethod: perOrder,
    };
  } finally {
    await gateway.stop();
    await db.close();
    await bench.close();
    await double?.close();
  }
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await main();

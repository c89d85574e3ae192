// Two gateways exchanging X12 by AS2 over loopback, each a whole runtime with its own database schema
// and HTTP server (send -> receive -> MDN, both ways):
// - gateway B queues an 850 for each of its AS2 partners; its delivery stage sends each one as an AS2
//   message packed with that partner's algorithms (the combinations below) to gateway A;
// - A checks, opens and takes each message in (intake, posting), answers with the MDN asked for
//   (synchronous or asynchronous, signed), and sends its 997 back by AS2 the same way;
// - B checks each MDN's signature and MIC, and takes the 997 in.
// Each combination is its own pair of AS2 ids, so both gateways run all of them at once (21 pairs, about 8 s).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { runtimeConfig } from '../../src/runtime/config.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { queueOutbound } from '../../src/store/outbound-repo.js';
import { useTestDatabase } from '../support/db.js';
import { makeIdentity, tempDir, type TempDir, type TestIdentity } from './cms/openssl.js';
import { freePort, order850 } from './harness.js';

const db = useTestDatabase();

interface Combination {
  sign: string;
  encrypt: string;
  keyTransport: string;
  compress: boolean;
  mdn: 'sync' | 'async';
  mdnSigned: string;
}

const CIPHERS = ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes192-gcm', 'aes256-gcm', '3des'];
const KEY_TRANSPORTS = ['rsa-pkcs1', 'rsa-oaep', 'rsa-oaep-sha256'];
const DIGESTS = ['sha1', 'sha256', 'sha384', 'sha512'];

// Every cipher with every key transport (21 pairs of partners); the digests, compression, the MDN
// modes and unsigned receipts rotate over them, so each value meets several others.
const COMBINATIONS: Combination[] = CIPHERS.flatMap((encrypt, i) => KEY_TRANSPORTS.map((keyTransport, j): Combination => {
  const k = i * KEY_TRANSPORTS.length + j;
  return {
    sign: DIGESTS[k % 4]!, encrypt, keyTransport, compress: k % 2 === 1, mdn: k % 3 === 2 ? 'async' : 'sync',
    mdnSigned: k % 5 === 4 ? 'none' : DIGESTS[(k + 1) % 4]!,
  };
}));

function yamlOf(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

interface Side {
  dir: string;
  port: number;
  runtime?: GatewayRuntime;
  db?: Database;
}

let dir: TempDir;
let a: Side;
let b: Side;
let idA: TestIdentity;
let idB: TestIdentity;

beforeAll(async () => {
  dir = tempDir('as2-gateways-');
  idA = makeIdentity(dir, 'acme');
  idB = makeIdentity(dir, 'bigbox');
  a = { dir: join(dir.path, 'a'), port: await freePort() };
  b = { dir: join(dir.path, 'b'), port: await freePort() };
  const urlA = (k: number) => `http://127.0.0.1:${a.port}/as2/OURCO-${k}`;
  const urlB = (k: number) => `http://127.0.0.1:${b.port}/as2/BIGBOX-${k}`;
  for (const side of [a, b]) mkdirSync(join(side.dir, 'partners'), { recursive: true });
  writeFileSync(join(a.dir, 'partners', '_gateway.yaml'), yamlOf({ us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' } }));
  writeFileSync(join(b.dir, 'partners', '_gateway.yaml'), yamlOf({ us: { isa: { qualifier: 'ZZ', id: 'BIGBOX' }, gs: 'BIGBOX' } }));
  COMBINATIONS.forEach((c, k) => {
    const outbound = { sign: c.sign, encrypt: c.encrypt, keyTransport: c.keyTransport, compress: c.compress, mdn: c.mdn, mdnSigned: c.mdnSigned, timeoutSeconds: 20, ...(c.mdn === 'async' ? { mdnWithinMinutes: 5 } : {}) };
    // A knows B's partner k as bigbox<k> (ISA BIGBOX<k>), B knows A as acme<k> (ISA ACME<k>).
    writeFileSync(join(a.dir, 'partners', `bigbox${k}.yaml`), yamlOf({
      mode: 'production',
      identity: { isa: { qualifier: 'ZZ', id: `BIGBOX${k}` }, gs: `BIGBOX${k}` },
      us: { isa: { qualifier: 'ZZ', id: `ACME${k}` }, gs: `ACME${k}` },
      documents: { inbound: ['850'] },
      transport: {
        type: 'as2', as2Id: `BIGBOX-${k}`, url: urlB(k), certificate: { file: idB.certPath },
        us: { id: `OURCO-${k}`, url: urlA(k), certificate: { file: idA.certPath }, privateKey: { file: idA.keyPath } },
        outbound,
      },
    }));
    writeFileSync(join(b.dir, 'partners', `acme${k}.yaml`), yamlOf({
      mode: 'production',
      identity: { isa: { qualifier: 'ZZ', id: `ACME${k}` }, gs: `ACME${k}` },
      us: { isa: { qualifier: 'ZZ', id: `BIGBOX${k}` }, gs: `BIGBOX${k}` },
      documents: { inbound: ['997'], outbound: ['850'] },
      transport: {
        type: 'as2', as2Id: `OURCO-${k}`, url: urlA(k), certificate: { file: idA.certPath },
        us: { id: `BIGBOX-${k}`, url: urlB(k), certificate: { file: idB.certPath }, privateKey: { file: idB.keyPath } },
        outbound,
      },
    }));
  });
  b.db = await openDatabase({ databaseUrl: db.url, schema: `${db.schema}_b`, log: silentLogger });
  for (const [side, database] of [[a, db], [b, b.db]] as const) {
    const config = runtimeConfig({ dataDir: side.dir, samples: false, interval: '0.2' }, { HTTP_PORT: String(side.port), HTTP_HOST: '127.0.0.1' }, join(side.dir, 'partners'));
    side.runtime = await startGatewayRuntime(config, { db: database, log: silentLogger });
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.runtime?.stop(), b?.runtime?.stop()]);
  await b?.db?.close();
  dir?.remove();
});

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}\n${await diagnose()}`);
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

/** What both sides' deliveries and timelines say, for a test that times out. */
async function diagnose(): Promise<string> {
  const lines: string[] = [];
  for (const [name, side] of [['A', a], ['B', b]] as const) {
    for (const broken of side.runtime?.partners.broken?.() ?? []) lines.push(`${name} partner file ${broken.display}: ${broken.errors.map((e) => e.message).join('; ')}`);
  }
  for (const [name, database] of [['A', db], ['B', b.db!]] as const) {
    const outbound = await database.query<{ id: string; partner: string; kind: string; state: string; reason: string | null }>(`SELECT id, partner, kind, state, reason FROM ${database.schema}.outbound ORDER BY id`);
    for (const r of outbound.rows) lines.push(`${name} outbound ${r.id} ${r.partner} ${r.kind} ${r.state} ${r.reason ?? ''}`);
    const events = await database.query<{ stage: string; message: string }>(`SELECT stage, message FROM ${database.schema}.events ORDER BY id DESC LIMIT 15`);
    for (const r of events.rows.reverse()) lines.push(`${name} event ${r.stage}: ${r.message}`);
  }
  return lines.join('\n');
}

interface MessageRow {
  direction: string;
  partner: string;
  state: string;
  mdn_mode: string;
  mdn_state: string | null;
  mdn_disposition: string | null;
  file_id: string | null;
  outbound_id: string | null;
  reason: string | null;
}

const messages = (database: Database) => async () =>
  (await database.query<MessageRow>(`SELECT direction, partner, state, mdn_mode, mdn_state, mdn_disposition, file_id, outbound_id, reason FROM ${database.schema}.as2_messages ORDER BY id`)).rows;

describe('two gateways over AS2', () => {
  it('exchange an 850 and its 997 for every combination of algorithms, with MDNs checked both ways', { timeout: 120_000 }, async () => {
    const n = COMBINATIONS.length;
    for (let k = 0; k < n; k++) {
      await queueOutbound(b.db!, { partner: `acme${k}`, kind: '850', sourceKey: `test:850:${k}`, payload: order850(`BIGBOX${k}`, `ACME${k}`, 1000 + k) });
    }
    // A took every 850 in, and posted it.
    const inA = await until('A to take in every 850', messages(db), (rows) => rows.filter((r) => r.direction === 'in' && r.state === 'processed').length === n);
    const posted = await until('A to post every 850', async () => (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.documents WHERE state = 'posted'`)).rows[0]!.n, (v) => Number(v) === n);
    expect(Number(posted)).toBe(n);
    expect(inA.filter((r) => r.direction === 'in').map((r) => r.partner).sort()).toEqual(COMBINATIONS.map((_, k) => `bigbox${k}`).sort());
    expect(inA.filter((r) => r.direction === 'in').every((r) => r.file_id !== null && r.mdn_disposition === 'processed')).toBe(true);

    // B's 850s: each MDN came back (synchronously, or asynchronously to B's URL) and matched.
    const outB = await until('B to get every MDN for its 850s', messages(b.db!), (rows) => rows.filter((r) => r.direction === 'out' && r.state === 'delivered').length === n);
    for (const row of outB.filter((r) => r.direction === 'out')) expect(row.mdn_disposition).toMatch(/processed$/);
    const sentB = (await b.db!.query<{ state: string; remote_path: string }>(`SELECT state, remote_path FROM ${b.db!.schema}.outbound WHERE kind = '850' ORDER BY id`)).rows;
    expect(sentB.map((r) => r.state)).toEqual(Array(n).fill('sent'));
    expect(sentB.every((r) => /Message-ID <[^>]+>/.test(r.remote_path))).toBe(true);

    // A's 997s went back by AS2 and B took them in; A's MDNs for them are checked the same way.
    await until('B to take in every 997', messages(b.db!), (rows) => rows.filter((r) => r.direction === 'in' && r.state === 'processed').length === n);
    const outA = await until('A to get every MDN for its 997s', messages(db), (rows) => rows.filter((r) => r.direction === 'out' && r.state === 'delivered').length === n);
    expect(outA.filter((r) => r.direction === 'out').map((r) => r.partner).sort()).toEqual(COMBINATIONS.map((_, k) => `bigbox${k}`).sort());
    // The asynchronous MDNs A owed were sent.
    const asyncIn = outA.filter((r) => r.direction === 'in' && r.mdn_mode === 'async');
    expect(asyncIn.length).toBe(COMBINATIONS.filter((c) => c.mdn === 'async').length);
    await until('A to send its asynchronous MDNs', messages(db), (rows) => rows.filter((r) => r.direction === 'in' && r.mdn_mode === 'async' && r.mdn_state === 'sent').length === asyncIn.length);
    const filesB = (await b.db!.query<{ channel: string; n: string }>(`SELECT channel, count(*) AS n FROM ${b.db!.schema}.files GROUP BY channel`)).rows;
    expect(filesB).toEqual([{ channel: 'as2', n: String(n) }]);
  });
});

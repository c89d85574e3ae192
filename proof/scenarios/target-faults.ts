// Scenario 3: the posting target misbehaves. Two gateway processes post 850s into the Odoo double
// (test/support/odoo-children.ts), which for a while is down (connections refused), slow (seconds
// per create), answering 502 from its proxy, or failing every call with a serialization failure.
// The documents must wait (mapped, retried behind the circuit breaker) and each post exactly once
// when Odoo answers again: one sale order per PO number in the double, every document posted.
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import type { Conn } from '../../src/store/index.js';
import { tableIn } from '../../src/store/identifiers.js';
import type { OdooDouble } from '../../test/odoo-double/index.js';
import { bytes, x12 } from '../../test/jobs/support.js';
import { startChild, stopChild, type Child } from '../../test/support/gateway-children.js';
import { seededOdoo } from '../../test/support/odoo-children.js';
import { scenarioDatabase, until, type ProofContext } from '../harness.js';
import { someKeys, tally, type ProofResult, type Tally } from '../tally.js';

interface Fault {
  name: string;
  on(odoo: OdooDouble): void;
  /** How long the fault lasts (ms). */
  ms: number;
}

function faults(full: boolean): Fault[] {
  const slowMs = full ? 12_000 : 3_000;
  return [
    { name: `odoo down ${full ? 120 : 15}s`, on: (o) => o.faults.down(true), ms: full ? 120_000 : 15_000 },
    // web_save: the create of Odoo 17 on (create and read in one call).
    { name: `odoo slow ${slowMs / 1000}s per create`, on: (o) => o.faults.slowCall('sale.order', 'web_save', slowMs), ms: full ? 60_000 : 3_000 },
    { name: `odoo 502 for ${full ? 60 : 3}s`, on: (o) => o.faults.http5xx(1_000_000, 502), ms: full ? 60_000 : 3_000 },
    { name: `odoo serialization failures ${full ? 60 : 3}s`, on: (o) => o.faults.serializationFailure(1_000_000), ms: full ? 60_000 : 3_000 },
  ];
}

/** The PO numbers of `test/jobs/support.ts`'s x12(): goodPo(control * 100 + i). */
const poNumbersOf = (control: number, sets: number) => Array.from({ length: sets }, (_, i) => `PO${1000 + control * 100 + i}`);

/** What the double holds (one sale order = one posting) against what was sent. */
async function tallyOdoo(db: Conn, odoo: OdooDouble, expected: readonly string[]): Promise<Tally> {
  const mine = new Set(expected);
  const postings = odoo.db.records('sale.order').map((o) => String(o['client_order_ref'])).filter((k) => mine.has(k));
  const docs = await db.query<{ key: string }>(`SELECT document->>'poNumber' AS key FROM ${tableIn(db.schema, 'documents')} WHERE state = 'posted'`);
  return tally(expected, postings, new Set(docs.rows.map((r) => r.key)));
}

export async function targetFaultsScenario(ctx: ProofContext): Promise<ProofResult[]> {
  const full = ctx.size === 'full';
  const FILES = full ? 10 : 3;
  const SETS = full ? 5 : 3;
  const db = await scenarioDatabase(ctx.url, 'target');
  const odoo = await seededOdoo();
  let intake: Gateway | undefined;
  const children: Child[] = [];
  const results: ProofResult[] = [];
  try {
    intake = await startGateway({ db, workers: false, jobExpireSeconds: 5, retry: { limit: 10, delaySeconds: 0, backoff: false } });
    // Short runs cap the breaker's cool-down at 2 s; the full run keeps the gateway's (5 s doubling to 5 min).
    const extra = { ...odoo.childEnv, LEASE_SECONDS: '6', SWEEP_SECONDS: '1', ...(full ? {} : { BREAKER_MAX_COOLDOWN_SECONDS: '2' }) };
    for (const name of ['gw-a', 'gw-b']) children.push(await startChild(name, { url: ctx.url, schema: db.schema, jobExpireSeconds: 5, maxRuntimeMs: 30 * 60_000, extra }));
    let control = 100;
    for (const fault of faults(full)) {
      const first = control;
      control += FILES;
      const expected = Array.from({ length: FILES }, (_, f) => poNumbersOf(first + f, SETS)).flat();
      const calls = odoo.double.calls.length;
      // The first file goes through before the fault, the others arrive just after it began (some calls in flight).
      await intake.intake({ partner: 'acme', channel: 'test', sourceName: `target-${first}.edi`, bytes: bytes(x12({ control: first, sets: SETS })) });
      await until(async () => (await tallyOdoo(db, odoo.double, expected)).lost <= expected.length - SETS, 20_000, 100);
      fault.on(odoo.double);
      for (let f = 1; f < FILES; f++) await intake.intake({ partner: 'acme', channel: 'test', sourceName: `target-${first + f}.edi`, bytes: bytes(x12({ control: first + f, sets: SETS })) });
      await sleep(fault.ms);
      const during = await tallyOdoo(db, odoo.double, expected);
      odoo.double.faults.down(false);
      odoo.double.faults.reset();
      const backAt = Date.now();
      const ok = await until(async () => (await tallyOdoo(db, odoo.double, expected)).lost === 0, full ? 400_000 : 40_000, 100);
      const recoverSeconds = ok ? (Date.now() - backAt) / 1000 : null;
      await intake.idle(30_000).catch(() => undefined);
      const t = await tallyOdoo(db, odoo.double, expected);
      const failed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE state IN ('failed', 'rejected')`);
      results.push({
        scenario: fault.name,
        files: FILES,
        transactions: expected.length,
        lost: t.lost,
        duplicated: t.duplicated,
        recoverSeconds,
        notes: `${expected.length - during.lost} posted while faulty; ${odoo.double.calls.length - calls} Odoo ORM calls; failed/rejected ${failed.rows[0]!.n}${t.lost ? `; lost ${someKeys(t.lostKeys)}` : ''}${t.duplicated ? `; twice ${someKeys(t.duplicatedKeys)}` : ''}`,
      });
      ctx.say(`proof: ${fault.name} done`);
    }
    return results;
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await intake?.stop();
    await odoo.double.close();
    await db.drop();
  }
}

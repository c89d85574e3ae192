// Odoo takes 20 s to create each sale order: below the client's 30 s timeout, far above the job
// expiry (5 s here). The holder's heartbeat keeps restarting its jobs' expiry and its renewals keep
// its leases, so neither is handed to the other of two gateway processes while it calls (were one
// handed out, the claim would make it a no-op): each document is claimed once, Odoo creates each
// order once, every document ends posted, no job is left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTimeline } from '../../src/store/index.js';
import { bytes, x12 } from '../jobs/support.js';
import { useTestDatabase } from '../support/db.js';
import { startChild, stopChild, useChildGateways, waitForAllPosted } from '../support/gateway-children.js';
import { seededOdoo, type SeededOdoo } from '../support/odoo-children.js';

// A sale order is made by create, or by web_save (create and read in one call) from Odoo 17 on.
const CREATES = new Set(['create', 'web_save']);

const db = useTestDatabase();
const FILES = 2;
const SETS = 2;
const DOCS = FILES * SETS;
const CREATE_MS = 20_000;
const EXPIRE = 5;
let odoo: SeededOdoo;
const gateways = useChildGateways(db, { jobExpireSeconds: EXPIRE });
const { children } = gateways;

beforeAll(async () => {
  odoo = await seededOdoo();
  for (const method of CREATES) odoo.double.faults.slowCall('sale.order', method, CREATE_MS);
});
afterAll(async () => {
  await odoo?.double.close();
});

describe('a slow Odoo and two gateway processes', () => {
  it(`posts each of ${DOCS} documents once, its post job kept from expiring during a call 4 times the expiry`, { timeout: 90_000 }, async () => {
    // A lease of 6 s lives only because the holder renews it (every 2 s) during the 20 s call.
    const extra = { ...odoo.childEnv, LEASE_SECONDS: '6', SWEEP_SECONDS: '1' };
    children.push(...(await Promise.all(['gw-a', 'gw-b'].map((name) => startChild(name, { url: db.url, schema: db.schema, jobExpireSeconds: EXPIRE, extra })))));
    const t0 = Date.now();
    for (let i = 0; i < FILES; i++) {
      await gateways.intake.intake({ partner: 'acme', channel: 'test', sourceName: `slow-${i}.edi`, bytes: bytes(x12({ control: 701 + i, sets: SETS })) });
    }
    const counts = await waitForAllPosted(db, DOCS, 75_000);
    const stderr = children.map((c) => c.stderr.join('')).join('');
    expect(counts.byState, stderr).toEqual({ posted: DOCS });
    expect(Date.now() - t0).toBeGreaterThan(CREATE_MS);
    // No job stuck: the copies handed out after each expiry ran out to nothing.
    await gateways.intake.idle(30_000);

    const docs = (await db.query<{ id: string; po: string }>(`SELECT id, document->>'poNumber' AS po FROM ${db.schema}.documents ORDER BY id`)).rows;
    for (const { id, po } of docs) {
      expect(odoo.ordersFor(po), po).toHaveLength(1);
      const moves = (await documentTimeline(db, Number(id))).filter((e) => e.stage === 'post').map((e) => [e.fromState, e.toState]);
      // Claimed once, never taken over (the lease was renewed), recorded once.
      expect(moves).toEqual([['mapped', 'posting'], ['posting', 'posted']]);
    }
    expect(odoo.double.calls.filter((c) => c.model === 'sale.order' && CREATES.has(c.method))).toHaveLength(DOCS);
    expect(stderr).not.toMatch(/lease.*lost|ERROR/);
    // The heartbeat kept each job from expiring in the hands of a live process: one try each.
    const jobs = await db.query<{ retry_count: number; state: string }>(`SELECT retry_count, state::text FROM "${db.schema}_boss".job WHERE name = 'edi-post'`);
    expect(jobs.rows).toHaveLength(DOCS);
    expect(jobs.rows.every((j) => j.retry_count === 0 && j.state === 'completed'), JSON.stringify(jobs.rows)).toBe(true);
    // Each document was handed to the target once.
    const stopped = children.splice(0);
    expect(await Promise.all(stopped.map((c) => stopChild(c)))).toEqual([0, 0]);
    expect(stopped.reduce((n, c) => n + c.posts(), 0)).toBe(DOCS);
  });
});

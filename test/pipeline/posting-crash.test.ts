// A gateway process SIGKILLed after Odoo created the sale order and before the post stage recorded
// it: the document stays 'posting' under the dead process's lease; after a restart the sweep sends
// it back to post once the lease ran out, and the posting's lookup finds the order the first call
// made. One sale order, the document posted once, the whole story on its timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTimeline, getDocument } from '../../src/store/index.js';
import { bytes, x12 } from '../jobs/support.js';
import { useTestDatabase } from '../support/db.js';
import { killChild, startChild, useChildGateways, waitForAllPosted, type ChildEnv } from '../support/gateway-children.js';
import { seededOdoo, type SeededOdoo } from '../support/odoo-children.js';

// A sale order is made by create, or by web_save (create and read in one call) from Odoo 17 on.
const CREATES = new Set(['create', 'web_save']);

const db = useTestDatabase();
const LEASE = 2;
let odoo: SeededOdoo;
const gateways = useChildGateways(db);
const { children } = gateways;

beforeAll(async () => {
  odoo = await seededOdoo();
});
afterAll(async () => {
  await odoo?.double.close();
});

describe('crash between call and record', () => {
  it('the document ends posted once and Odoo holds one sale order', { timeout: 60_000 }, async () => {
    const env: ChildEnv = { url: db.url, schema: db.schema, extra: { ...odoo.childEnv, LEASE_SECONDS: String(LEASE), SWEEP_SECONDS: '0.5' } };
    const first = await startChild('gw-dies', { ...env, extra: { ...env.extra, HOLD_AFTER_CALL: '1' } });
    children.push(first);
    const { fileId } = await gateways.intake.intake({ partner: 'acme', channel: 'test', sourceName: 'crash.edi', bytes: bytes(x12({ control: 601 })) });
    const called = Number((await first.printed(/called (\d+)/, 30_000))[1]);

    // Odoo committed the order; the post stage has not recorded it. Now the process dies.
    await killChild(first);
    const { poNumber } = (await getDocument(db, called))!.document as { poNumber: string };
    expect(odoo.ordersFor(poNumber)).toHaveLength(1);
    expect(await getDocument(db, called)).toMatchObject({ state: 'posting', fileId });

    const second = await startChild('gw-restarted', env);
    children.push(second);
    const counts = await waitForAllPosted(db, 1, 30_000);
    expect(counts.byState, second.stderr.join('')).toEqual({ posted: 1 });
    await gateways.intake.idle(20_000);

    const orders = odoo.ordersFor(poNumber);
    expect(orders).toHaveLength(1);
    const posted = (await getDocument(db, called))!;
    expect(posted.targetRef).toBe(`sale.order/${orders[0]!.id} ${String(orders[0]!['name'])}`);
    const timeline = (await documentTimeline(db, called)).filter((e) => e.stage === 'post');
    expect(timeline.map((e) => [e.fromState, e.toState])).toEqual([
      ['mapped', 'posting'], // the first process claims it, calls Odoo, dies
      ['posting', 'mapped'], // its lease ran out: the sweep sends it back
      ['mapped', 'posting'], // the restarted process claims it
      ['posting', 'posted'], // and finds the order the first call made
    ]);
    // The Odoo target's business key: partner, document type, PO number.
    expect(timeline[0]!.details).toMatchObject({ holder: expect.stringMatching(/\//), businessKey: `odoo|acme:purchase_order:${poNumber}` });
    expect(timeline[1]!.message).toMatch(/did not finish before its lease ran out/);
    expect(timeline[3]!.message).toMatch(/exists already: nothing created/);
    // One create of a sale order in all: the repeat only looked.
    expect(odoo.double.calls.filter((c) => c.model === 'sale.order' && CREATES.has(c.method))).toHaveLength(1);
  });
});

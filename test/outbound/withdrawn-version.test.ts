// Issue 12 on one customer's 855 (Odoo 18 double, real PostgreSQL, folder partner): only the latest
// version is sent, also when the latest cannot be built. A record changed before its built document
// was delivered, into a version that is held (data missing in Odoo): the older version is withdrawn
// while no delivery has touched it, the document is held with the reason and keeps its control
// numbers, and once fixed it is built under those numbers and delivered once. A delivery that took
// the entry first wins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutbound, type OutboundContext } from '../../src/jobs/outbound.js';
import { getDelivery } from '../../src/store/delivery-repo.js';
import { getOutboundDocument, outboundDocumentTimeline, type OutboundDocumentRecord } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { outboundCustomer, type OutboundCustomer } from './support.js';

const db = useTestDatabase();
const isa13 = (x12: string): string => x12.slice(0, 106).split('*')[13]!;

describe('a record changed before delivery whose newer version cannot be built: the older one is withdrawn, nothing goes out until the fix', () => {
  let customer: OutboundCustomer;
  let ctx: OutboundContext;
  let orderId: number;

  beforeAll(async () => {
    customer = await outboundCustomer(db, 18);
    ctx = customer.outboundContext();
    orderId = await customer.postOrder();
    await customer.deliver();
  }, 60_000);

  afterAll(() => customer?.close());

  it('held with the reason, its entry taken back and its numbers kept; once fixed, built under the same numbers and delivered once', async () => {
    const job = { model: 'sale.order', recordId: orderId, kind: '855', via: 'webhook' };
    const built = await buildOutbound(ctx, job);
    if (!('built' in built)) throw new Error(JSON.stringify(built));
    const first = built.built;

    // A unit with no X12 code on one line: the newer 855 cannot be built.
    const { client } = customer;
    const [line] = await client.searchRead('sale.order.line', [['order_id', '=', orderId]], { fields: ['product_uom'] });
    const unit = line!['product_uom'] as [number, string];
    const [category] = await client.read('uom.uom', [unit[0]], ['category_id']);
    const pallet = await client.create('uom.uom', { name: 'Pallet of 7', category_id: (category!['category_id'] as [number, string])[0], factor: 1 / 7, uom_type: 'bigger' });
    await client.write('sale.order.line', [line!.id], { product_uom: pallet });
    const held = await buildOutbound(ctx, job);
    if (!('held' in held)) throw new Error(JSON.stringify(held));
    expect(held.held).toMatchObject({
      id: first.id, state: 'held', outboundId: null,
      interchangeControl: first.interchangeControl, groupControl: first.groupControl, controlNumber: first.controlNumber,
    });
    expect(held.held.reason).toContain("unit 'Pallet of 7' has no X12 code");
    expect(await getDelivery(db, first.outboundId!)).toBeUndefined();
    expect((await outboundDocumentTimeline(db, first.id)).at(-1)!.message).toMatch(/^855 withdrawn before delivery: .* kept for its next build\)$/);
    await customer.deliver();
    expect(customer.sent855()).toEqual([]);

    // Fixed in Odoo: built again under the numbers it kept, and delivered once.
    await client.write('sale.order.line', [line!.id], { product_uom: unit[0] });
    const again = await buildOutbound(ctx, job);
    if (!('built' in again)) throw new Error(JSON.stringify(again));
    expect(again.built).toMatchObject({ id: first.id, state: 'built', interchangeControl: first.interchangeControl, groupControl: first.groupControl, controlNumber: first.controlNumber });
    expect(again.built.outboundId).not.toBe(first.outboundId);
    await customer.deliver();
    const sent = customer.sent855();
    expect(sent).toHaveLength(1);
    expect(isa13(readFileSync(join(customer.outbox, sent[0]!), 'latin1'))).toBe(first.interchangeControl);
  });

  it('a delivery that took the entry wins: the older version is sent, the held build leaves it alone', async () => {
    const job = { model: 'sale.order', recordId: orderId, kind: '855', via: 'poll' };
    const document = (await getOutboundDocument(db, (await buildOutbound(ctx, job) as { unchanged: OutboundDocumentRecord }).unchanged.id))!;
    expect(document.state).toBe('sent');
    const [line] = await customer.client.searchRead('sale.order.line', [['order_id', '=', orderId]], { fields: ['product_uom'] });
    const [pallet] = await customer.client.searchRead('uom.uom', [['name', '=', 'Pallet of 7']], { fields: ['id'] });
    await customer.client.write('sale.order.line', [line!.id], { product_uom: pallet!.id });
    expect(await buildOutbound(ctx, job)).toMatchObject({ unchanged: { id: document.id, state: 'sent' } });
  });
});

// A person's outbound actions (src/jobs/outbound-actions.ts) on one customer's 855, with the Odoo 18
// double, real PostgreSQL and a folder partner: preview renders without numbering; build builds once;
// resend delivers the same bytes again, flagged; regenerate builds the next generation with new
// control numbers and cancels the old one; what a document's state does not allow is refused with
// what to do instead, and changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFile } from '../../src/inbound/examine.js';
import { buildRecordNow, previewRecord, regenerateOutbound, resendOutbound } from '../../src/jobs/outbound-actions.js';
import type { OutboundContext } from '../../src/jobs/outbound.js';
import {
  deliveriesOfOutboundDocument,
  getOutboundDocument,
  insertOutboundDocument,
  listAudit,
  listOutbound,
  listOutboundDocuments,
  outboundDocumentTimeline,
  type OutboundDocumentRecord,
} from '../../src/store/index.js';
import { FRESHMART_PO } from '../support/freshmart.js';
import { useTestDatabase } from '../support/db.js';
import { outboundCustomer, type OutboundCustomer } from '../outbound/support.js';

const db = useTestDatabase();

/** The set's own segments (ST and SE, which carry the control number, left out), one per line. */
const body = (x12: string): string[] => {
  const lines = x12.split('\n').filter(Boolean);
  return lines.slice(lines.findIndex((l) => l.startsWith('ST*')) + 1, lines.findIndex((l) => l.startsWith('SE*')));
};
const isa13 = (x12: string): string => x12.slice(0, 106).split('*')[13]!;

describe('outbound actions on an 855 (Odoo 18 double, folder partner)', () => {
  let customer: OutboundCustomer;
  let ctx: OutboundContext;
  let orderId: number;
  let preview: string;
  let first: OutboundDocumentRecord;
  let second: OutboundDocumentRecord;

  beforeAll(async () => {
    customer = await outboundCustomer(db, 18);
    ctx = customer.outboundContext();
    orderId = await customer.postOrder();
  }, 60_000);

  afterAll(() => customer?.close());

  const outbound855 = async () => (await listOutbound(db, { partner: 'freshmart' })).filter((o) => o.kind === '855');

  it('a preview renders the X12 with placeholder numbers, passes our spec, and stores nothing', async () => {
    const previews = await previewRecord(ctx, 'sale.order', orderId);
    expect(previews).toHaveLength(1);
    const p = previews[0]!;
    expect(p).toMatchObject({ kind: '855', partner: 'freshmart', source: { model: 'sale.order', id: orderId } });
    if (!('x12' in p)) throw new Error(`no X12: ${JSON.stringify(p)}`);
    preview = p.x12;
    expect(isa13(preview)).toBe('000000001');
    expect(preview).toContain('ST*855*0001~');
    const read = examineFile(preview);
    expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(read.sets[0]!.document).toMatchObject({ poNumber: FRESHMART_PO });
    expect(await listOutboundDocuments(db)).toEqual([]);
    expect(await outbound855()).toEqual([]);
    // A model no partner receives documents of.
    expect(await previewRecord(ctx, 'res.partner', 1)).toEqual([]);
  });

  it('build now builds, numbers and queues the 855 once; its set is what the preview showed', async () => {
    const [done] = await buildRecordNow(ctx, 'sale.order', orderId, 'cli');
    expect(done!.kind).toBe('855');
    if (!('built' in done!.result)) throw new Error(JSON.stringify(done!.result));
    first = done!.result.built;
    expect(first).toMatchObject({ state: 'built', generation: 1, sourceModel: 'sale.order', sourceId: orderId, partner: 'freshmart' });
    const [entry] = await outbound855();
    expect(entry).toMatchObject({ id: first.outboundId, state: 'ready', sourceKey: `odoo:sale.order:${orderId}:855:1` });
    expect(isa13(entry!.payload)).toBe(first.interchangeControl);
    expect(body(entry!.payload)).toEqual(body(preview));
    expect(body(preview).length).toBeGreaterThan(2);

    const [again] = await buildRecordNow(ctx, 'sale.order', orderId, 'cli');
    expect(again!.result).toMatchObject({ unchanged: { id: first.id, state: 'built' } });
    expect(await outbound855()).toHaveLength(1);
  });

  it('resend: refused while the first delivery is pending; once sent, the same bytes again, flagged, as often as asked', async () => {
    expect(await resendOutbound(ctx, first.id, { actor: 'alice' })).toEqual({ refused: expect.stringMatching(/not sent yet, its delivery is pending/) });
    expect(await outbound855()).toHaveLength(1);
    expect(await customer.deliver()).toContain(first.outboundId);
    expect((await getOutboundDocument(db, first.id))!.state).toBe('sent');

    const resent = await resendOutbound(ctx, first.id, { actor: 'alice', reason: 'the customer lost it' });
    if (!('resent' in resent)) throw new Error(JSON.stringify(resent));
    expect(resent.resent.sourceKey).toBe(`odoo:sale.order:${orderId}:855:1:resend:1`);
    const deliveries = await deliveriesOfOutboundDocument(db, first.id);
    expect(deliveries.map((d) => [d.id, d.resend])).toEqual([[first.outboundId, false], [resent.resent.outboundId, true]]);
    expect(deliveries[1]!.payload).toBe(deliveries[0]!.payload);

    expect(await customer.deliver()).toEqual([resent.resent.outboundId]);
    const files = customer.sent855();
    expect(files).toHaveLength(2);
    const [a, b] = files.map((f) => readFileSync(join(customer.outbox, f), 'latin1'));
    expect(b).toBe(a);
    expect(isa13(a!)).toBe(first.interchangeControl);

    // The same document (an acknowledgment of either copy names the same numbers), sent again: the
    // resend on its timeline, then its delivery (test/outbound/latest-version.test.ts: the clock).
    const after = (await getOutboundDocument(db, first.id))!;
    expect(after).toMatchObject({ state: 'sent', outboundId: first.outboundId, interchangeControl: first.interchangeControl });
    const [last, delivered] = (await outboundDocumentTimeline(db, first.id)).slice(-2);
    expect(last).toMatchObject({ stage: 'resend', actor: 'alice', fromState: null, toState: null, details: { resend: true, outboundId: resent.resent.outboundId, reason: 'the customer lost it' } });
    expect(last!.message).toContain('the customer lost it');
    expect(delivered).toMatchObject({ stage: 'deliver', actor: 'system', fromState: null, toState: null, details: { resend: true, outboundId: resent.resent.outboundId } });

    const twice = await resendOutbound(ctx, first.id, { actor: 'bob' });
    expect(twice).toMatchObject({ resent: { sourceKey: `odoo:sale.order:${orderId}:855:1:resend:2` } });
    expect(await resendOutbound(ctx, 987654, { actor: 'bob' })).toEqual({ notFound: true });
  });

  it('regenerate: the next generation with new control numbers, the old one cancelled, both on the timeline', async () => {
    await customer.deliver();
    const result = await regenerateOutbound(ctx, first.id, { actor: 'carol', reason: 'prices corrected' });
    if (!('regenerated' in result)) throw new Error(JSON.stringify(result));
    second = result.regenerated.next;
    expect(second).toMatchObject({ state: 'built', generation: 2, sourceId: orderId, setId: '855' });
    expect(second.id).not.toBe(first.id);
    expect(Number(second.interchangeControl)).toBeGreaterThan(Number(first.interchangeControl));
    expect(second.groupControl).not.toBe(first.groupControl);

    const old = (await getOutboundDocument(db, first.id))!;
    expect(old.state).toBe('cancelled');
    const cancelled = (await outboundDocumentTimeline(db, first.id)).at(-1)!;
    expect(cancelled).toMatchObject({ actor: 'carol', fromState: 'sent', toState: 'cancelled', details: { regenerate: true, next: second.id, reason: 'prices corrected' } });
    expect(cancelled.message).toContain('regenerated as generation 2');
    const [built] = await outboundDocumentTimeline(db, second.id);
    expect(built).toMatchObject({ actor: 'carol', fromState: null, toState: 'built', details: { regenerate: true, previous: first.id, reason: 'prices corrected', via: 'regenerate' } });
    expect((await outbound855()).find((o) => o.id === second.outboundId)!.sourceKey).toBe(`odoo:sale.order:${orderId}:855:2`);
    // Audited with the regenerate itself: who, via what, why.
    expect((await listAudit(db, {})).filter((e) => e.action === 'outbound.regenerate')).toEqual([
      expect.objectContaining({ actor: 'carol', via: 'cli', targetId: String(first.id), reason: 'prices corrected', details: { next: second.id, state: 'built' } }),
    ]);

    // The new one's delivery is pending: regenerating it now would leave its bytes to go out anyway.
    expect(await regenerateOutbound(ctx, second.id, { actor: 'carol' })).toEqual({ refused: expect.stringMatching(/delivery is pending/) });
    // The cancelled one is neither resent nor regenerated.
    expect(await regenerateOutbound(ctx, first.id, { actor: 'carol' })).toEqual({ refused: expect.stringMatching(/cancelled/) });
    expect(await resendOutbound(ctx, first.id, { actor: 'carol' })).toEqual({ refused: expect.stringMatching(/cancelled/) });

    expect(await customer.deliver()).toEqual([second.outboundId]);
    const newest = customer.sent855().map((f) => readFileSync(join(customer.outbox, f), 'latin1')).find((x) => isa13(x) === second.interchangeControl);
    expect(body(newest!)).toEqual(body(preview));
    expect((await listOutboundDocuments(db, { partner: 'freshmart' })).map((d) => [d.generation, d.state])).toEqual([[2, 'sent'], [1, 'cancelled']]);
  });

  it('a record that no longer triggers its document is not regenerated, and nothing changes', async () => {
    await customer.client.call('sale.order', 'action_cancel', [orderId], {}, { disable_cancel_warning: true });
    const result = await regenerateOutbound(ctx, second.id, { actor: 'dave' });
    expect(result).toEqual({ refused: expect.stringMatching(/^not regenerated: /) });
    expect((await listOutboundDocuments(db, { partner: 'freshmart' })).map((d) => [d.generation, d.state])).toEqual([[2, 'sent'], [1, 'cancelled']]);
    expect((await outboundDocumentTimeline(db, second.id)).map((e) => e.actor)).not.toContain('dave');
  });

  it('a held document is neither resent nor regenerated: the answer says to build it', async () => {
    const held = await insertOutboundDocument(db, { model: 'sale.order', recordId: 424242, setId: '855', generation: 1 }, {
      partner: 'freshmart', sourceName: 'S-HELD', sourceVersion: '2026-12-01 10:00:00', state: 'held', reason: 'product X has no barcode', document: null,
      interchangeControl: null, groupControl: null, controlNumber: null, outboundId: null, ackWindowSeconds: null,
    }, { stage: 'outbound', actor: 'system', message: 'held: product X has no barcode' });
    for (const answer of [await resendOutbound(ctx, held.id, { actor: 'erin' }), await regenerateOutbound(ctx, held.id, { actor: 'erin' })]) {
      expect(answer).toEqual({ refused: expect.stringContaining('edi outbound build sale.order 424242') });
    }
    expect((await getOutboundDocument(db, held.id))!.state).toBe('held');
  });
});

// Issue 12 on one customer's 855 (Odoo 18 double, real PostgreSQL, folder partner):
// - only the latest version is sent: a record changed before its document was delivered replaces the
//   built one in place, under the same control numbers; once a delivery took the entry, the build is
//   left alone (the race both ways: a claim holding the row wins over the replacement, which does not
//   wait for it, and a replacement holding the row makes the claim skip the entry until it commits);
// - a resend restarts the acknowledgment clock when it is delivered: ack-overdue goes back to sent,
//   ack_due_at counted from the resend; an answered document keeps its state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regenerateOutbound, resendOutbound } from '../../src/jobs/outbound-actions.js';
import { buildOutbound, type OutboundContext } from '../../src/jobs/outbound.js';
import { markAcksOverdue } from '../../src/jobs/reconcile.js';
import { claimDelivery, getDelivery, replaceUndelivered } from '../../src/store/delivery-repo.js';
import { tableIn } from '../../src/store/identifiers.js';
import { getOutboundDocument, outboundDocumentTimeline, withTransaction, type OutboundDocumentRecord } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { outboundCustomer, type OutboundCustomer } from './support.js';

const db = useTestDatabase();

/** The ACK lines (their date is the order's commitment date). */
const dtm = (x12: string) => x12.split('\n').filter((l) => l.startsWith('ACK*'));
const isa13 = (x12: string): string => x12.slice(0, 106).split('*')[13]!;

describe('only the latest version of an 855 is sent; a resend restarts the acknowledgment clock', () => {
  let customer: OutboundCustomer;
  let ctx: OutboundContext;
  let orderId: number;
  let first: OutboundDocumentRecord;
  let second: OutboundDocumentRecord;
  const job = () => ({ model: 'sale.order', recordId: orderId, kind: '855', via: 'webhook' });
  const commitOn = (day: string) => customer.client.write('sale.order', [orderId], { commitment_date: `${day} 10:00:00` });
  const payloadOf = async (id: number) => (await getDelivery(db, id))!.payload;

  beforeAll(async () => {
    customer = await outboundCustomer(db, 18);
    ctx = customer.outboundContext();
    orderId = await customer.postOrder();
    // The 997 for the customer's 850 goes out first: what follows delivers only the 855.
    await customer.deliver();
  }, 60_000);

  afterAll(() => customer?.close());

  it('a change before delivery replaces the built 855 in place: same numbers, same entry, the new bytes; an unchanged build changes nothing', async () => {
    await commitOn('2026-12-20');
    const built = await buildOutbound(ctx, job());
    if (!('built' in built)) throw new Error(JSON.stringify(built));
    first = built.built;
    const before = await payloadOf(first.outboundId!);
    expect(dtm(before).join()).toContain('20261220');

    await commitOn('2026-12-22');
    const again = await buildOutbound(ctx, job());
    if (!('built' in again)) throw new Error(JSON.stringify(again));
    expect(again.built).toMatchObject({
      id: first.id, state: 'built', generation: 1, outboundId: first.outboundId,
      interchangeControl: first.interchangeControl, groupControl: first.groupControl, controlNumber: first.controlNumber,
    });
    const after = await payloadOf(first.outboundId!);
    expect(dtm(after).join()).toContain('20261222');
    expect(dtm(after).join()).not.toContain('20261220');
    expect(isa13(after)).toBe(first.interchangeControl);
    const replaced = (await outboundDocumentTimeline(db, first.id)).at(-1)!;
    expect(replaced).toMatchObject({ stage: 'outbound', fromState: 'built', toState: 'built', details: { replaced: true, outboundId: first.outboundId, previousVersion: first.sourceVersion } });
    expect(replaced.message).toMatch(new RegExp(`^855 replaced before delivery by the newer version .*: the same ISA13 ${first.interchangeControl}, GS06 ${first.groupControl}, ST02 ${first.controlNumber}$`));

    // The same record read again: the same document, nothing rewritten.
    const events = (await outboundDocumentTimeline(db, first.id)).length;
    expect(await buildOutbound(ctx, job())).toMatchObject({ unchanged: { id: first.id } });
    expect(await payloadOf(first.outboundId!)).toBe(after);
    expect(await outboundDocumentTimeline(db, first.id)).toHaveLength(events);
  });

  it('race: a replacement holding the entry makes a delivery skip it; once committed, the new bytes are the ones delivered', async () => {
    const newer = (await payloadOf(first.outboundId!)).replaceAll('20261222', '20261223');
    await withTransaction(db, async (tx) => {
      expect(await replaceUndelivered(tx, first.outboundId!, newer)).toMatchObject({ id: first.outboundId, payload: newer });
      // Another connection's sweep while this one holds the row: it skips the entry.
      expect(await customer.deliver()).toEqual([]);
    });
    expect(await customer.deliver()).toEqual([first.outboundId]);
    const [file] = customer.sent855();
    expect(readFileSync(join(customer.outbox, file!), 'latin1')).toBe(newer);
    expect((await getOutboundDocument(db, first.id))!.state).toBe('sent');
    // Sent: a later change is not sent on its own (a person resends or regenerates).
    await commitOn('2026-12-24');
    expect(await buildOutbound(ctx, job())).toMatchObject({ unchanged: { id: first.id, state: 'sent' } });
    expect(customer.sent855()).toHaveLength(1);
  });

  it('race: a delivery that holds or claimed the entry wins over a replacement; the claimed bytes are sent', async () => {
    // A person's regenerate: generation 2, built with new numbers, its entry not delivered yet.
    const regenerated = await regenerateOutbound(ctx, first.id, { actor: 'carol', reason: 'commitment date moved' });
    if (!('regenerated' in regenerated)) throw new Error(JSON.stringify(regenerated));
    second = regenerated.regenerated.next;
    const entry = second.outboundId!;
    const claimed = await payloadOf(entry);
    await commitOn('2026-12-27');

    await withTransaction(db, async (tx) => {
      // The delivery's claim holds the row (as lockDueDeliveries does): the build does not wait for it ...
      await tx.client.query(`SELECT id FROM ${tableIn(db.schema, 'outbound')} WHERE id = $1 FOR UPDATE`, [entry]);
      expect(await buildOutbound(ctx, job())).toMatchObject({ unchanged: { id: second.id, outboundId: entry, state: 'built' } });
      // ... and the claim fixes the file name and takes the lease.
      expect(await claimDelivery(tx, { id: entry, fileName: 'claimed.855', holder: 'test', leaseSeconds: 60 })).toBeDefined();
    });
    expect(await payloadOf(entry)).toBe(claimed);
    // Claimed: a build after the claim committed leaves it too.
    await commitOn('2026-12-28');
    expect(await buildOutbound(ctx, job())).toMatchObject({ unchanged: { id: second.id, state: 'built' } });
    expect(await payloadOf(entry)).toBe(claimed);
    // The claim's holder (this test) is gone: once its lease ran out a sweep delivers the claimed bytes.
    await db.query(`UPDATE ${tableIn(db.schema, 'outbound')} SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [entry]);
    expect(await customer.deliver()).toEqual([entry]);
    expect(readFileSync(join(customer.outbox, 'claimed.855'), 'latin1')).toBe(claimed);
  });

  it('a resend delivered restarts the clock: ack-overdue -> sent, ack_due_at counted from the resend; an answered document stays answered', async () => {
    const docId = second.id;
    expect((await getOutboundDocument(db, docId))!.state).toBe('sent');
    await db.query(`UPDATE ${tableIn(db.schema, 'outbound_documents')} SET ack_due_at = now() - interval '1 hour', sent_at = now() - interval '25 hours' WHERE id = $1`, [docId]);
    expect((await markAcksOverdue(db, new Date())).map((m) => m.id)).toEqual([docId]);
    const overdue = (await getOutboundDocument(db, docId))!;
    expect(overdue.state).toBe('ack-overdue');

    const resent = await resendOutbound(ctx, docId, { actor: 'alice', reason: 'never arrived' });
    if (!('resent' in resent)) throw new Error(JSON.stringify(resent));
    // Queued, not delivered: the clock has not restarted yet.
    expect((await getOutboundDocument(db, docId))!).toMatchObject({ state: 'ack-overdue', ackDueAt: overdue.ackDueAt });
    const before = Date.now();
    expect(await customer.deliver()).toEqual([resent.resent.outboundId]);
    const back = (await getOutboundDocument(db, docId))!;
    expect(back.state).toBe('sent');
    const window = back.ackWindowSeconds! * 1000;
    expect(back.ackDueAt!.getTime()).toBeGreaterThanOrEqual(before + window - 2000);
    expect(back.ackDueAt!.getTime()).toBeLessThanOrEqual(Date.now() + window + 2000);
    expect(back.sentAt!.getTime()).toBeGreaterThanOrEqual(before - 2000);
    const delivered = (await outboundDocumentTimeline(db, docId)).at(-1)!;
    expect(delivered).toMatchObject({ stage: 'deliver', fromState: 'ack-overdue', toState: 'sent', details: { resend: true, outboundId: resent.resent.outboundId } });
    expect(delivered.message).toMatch(/^resent as .*: back to sent, acknowledgment now due by \d{4}-\d\d-\d\d \d\d:\d\d UTC \(counted from this delivery\)$/);
    // The sweep no longer finds it overdue.
    expect(await markAcksOverdue(db, new Date())).toEqual([]);

    // Answered: a resend is delivered and noted, the answer stands.
    await db.query(`UPDATE ${tableIn(db.schema, 'outbound_documents')} SET state = 'acknowledged', acknowledged_at = now() WHERE id = $1`, [docId]);
    const answered = (await getOutboundDocument(db, docId))!;
    const again = await resendOutbound(ctx, docId, { actor: 'bob' });
    if (!('resent' in again)) throw new Error(JSON.stringify(again));
    expect(await customer.deliver()).toEqual([again.resent.outboundId]);
    expect((await getOutboundDocument(db, docId))!).toMatchObject({ state: 'acknowledged', ackDueAt: answered.ackDueAt, sentAt: answered.sentAt });
    const noted = (await outboundDocumentTimeline(db, docId)).at(-1)!;
    expect(noted).toMatchObject({ stage: 'deliver', fromState: null, toState: null, details: { resend: true, outboundId: again.resent.outboundId } });
    expect(noted.message).toMatch(/: it stays acknowledged \(already answered; no acknowledgment is awaited\)$/);
  });
});


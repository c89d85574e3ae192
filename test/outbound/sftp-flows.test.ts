// Issue 12, the whole outbound loop with the Odoo double (18 and 19 field names) and a real SFTP
// server as the partners' mailboxes: what a person does in Odoo (confirm a purchase order, confirm
// a changed sale order, validate a delivery, post an invoice) is built, delivered into the
// partner's SFTP inbox and reads back as the partner would read it; the partner's 997 dropped into
// their SFTP outbox comes in through the gateway's own SFTP poll and settles the document's state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/documents/invoice.js';
import type { PurchaseOrder } from '../../src/documents/purchase-order.js';
import type { PurchaseOrderAck } from '../../src/documents/purchase-order-ack.js';
import type { ShipNotice } from '../../src/documents/ship-notice.js';
import { isError } from '../../src/errors/finding.js';
import { examineFile } from '../../src/inbound/examine.js';
import { outboundDocumentTimeline } from '../../src/store/index.js';
import { purchaseOrder } from '../odoo/support/documents.js';
import { seedPurchaseOrder } from '../odoo/support/seed.js';
import { useTestDatabase } from '../support/db.js';
import { sftpOutboundLoop, type SftpOutboundLoop } from './support.js';

const db = useTestDatabase();
const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));

/** What the partner reads in the file: no errors by our spec, one set, its document. */
function readBack<T>(text: string): T {
  const read = examineFile(text);
  expect(read.findings.filter(isError)).toEqual([]);
  expect(read.sets).toHaveLength(1);
  return read.sets[0]!.document as T;
}
const hierarchyOf = (text: string) => text.split('~').map((s) => s.trim()).filter((s) => s.startsWith('HL*')).map((s) => s.split('*')[3]).join('/');

for (const version of [18, 19] as const) {
  describe(`outbound over SFTP, Odoo ${version} double: 850, 855, 856, 810 delivered and acknowledged`, () => {
    let loop: SftpOutboundLoop;
    const prefix = process.env.GS1_COMPANY_PREFIX;

    beforeAll(async () => {
      process.env.GS1_COMPANY_PREFIX = '0614141';
      loop = await sftpOutboundLoop(db, version);
    }, 60_000);
    afterAll(async () => {
      await loop?.close();
      if (prefix === undefined) delete process.env.GS1_COMPANY_PREFIX;
      else process.env.GS1_COMPANY_PREFIX = prefix;
    });

    /** The retail customer's sample 850 over SFTP, as a draft sale order (a person may change it before confirming). */
    const order = (tag: string) => loop.postOrder(purchaseOrder(loop.world, `PO-${tag}-${loop.world.run}`));
    const confirm = (id: number) => loop.client.call('sale.order', 'action_confirm', [id]);
    const statuses = (ack: PurchaseOrderAck) => ack.lines.map((l) => l.acks.map((a) => a.status).join('+'));

    it('850: a confirmed purchase order lands in the supplier\'s inbox as its 850; their 997 marks it acknowledged', async () => {
      const po = await seedPurchaseOrder(loop.client, loop.world, `P-${loop.world.run}`, [12, 5]);
      const { doc, text } = await loop.buildAndFetch(loop.supplier, '850', 'purchase.order', po.id);
      expect(readBack<PurchaseOrder>(text)).toMatchObject({ poNumber: po.name, lines: [{ quantity: 12 }, { quantity: 5 }] });
      expect(text).toMatch(new RegExp(`^ISA\\*00\\* {10}\\*00\\* {10}\\*ZZ\\*OURCOMPANY {5}\\*ZZ\\*${loop.supplier.identity.isa.id.padEnd(15)}\\*`));
      expect(text).toContain(`ST*850*${doc.controlNumber}~`);
      expect((await loop.acknowledge(loop.supplier, doc)).state).toBe('acknowledged');
      expect((await outboundDocumentTimeline(loop.db, doc.id)).map((e) => e.toState)).toEqual(['built', 'sent', 'acknowledged']);
    });

    it('855: every line status (IA, IQ, IR; DR, IP) reads back from the inbox; a 997 rejecting it gives ack-rejected with the reason in words', async () => {
      const a = await order('855A');
      await loop.client.write('sale.order.line', [a.lines[1]!], { product_uom_qty: 30 });
      await loop.client.write('sale.order', [a.id], { order_line: [[2, a.lines[2]!, 0]] });
      await confirm(a.id);
      const first = await loop.buildAndFetch(loop.retail, '855', 'sale.order', a.id);
      expect(statuses(readBack<PurchaseOrderAck>(first.text))).toEqual(['IA', 'IQ', 'IR']);
      expect((await loop.acknowledge(loop.retail, first.doc)).state).toBe('acknowledged');

      const b = await order('855B');
      await loop.client.write('sale.order', [b.id], { commitment_date: '2026-12-11 12:00:00' });
      await loop.client.write('sale.order.line', [b.lines[1]!], { price_unit: 21.9 });
      await confirm(b.id);
      const second = await loop.buildAndFetch(loop.retail, '855', 'sale.order', b.id);
      const ack = readBack<PurchaseOrderAck>(second.text);
      expect(statuses(ack)).toEqual(['DR', 'IP', 'DR']);
      expect(ack.lines[1]!.unitPrice).toBe(21.9);

      const rejected = await loop.acknowledge(loop.retail, second.doc, ['AK3*PO1*6**8~', 'AK4*4*212*6*21#90~']);
      expect(rejected.state).toBe('ack-rejected');
      const last = (await outboundDocumentTimeline(loop.db, second.doc.id)).at(-1)!;
      expect(last.toState).toBe('ack-rejected');
      expect(last.message).toContain(`set 855 ${second.doc.controlNumber}: rejected: one or more segments are in error (AK5 R 5)`);
      expect(last.message).toMatch(/segment PO1 at position 6\b.*\(AK3 8\)/);
      expect(last.message).toMatch(/element 04 \(data element 212\): .*"21#90" \(AK4 6\)/);
    });

    it('856: a delivery without packages reads back S/O/I, one with packages S/O/P/I with an SSCC per package', async () => {
      const plain = await order('856A');
      await confirm(plain.id);
      const [so] = await loop.client.read('sale.order', [plain.id], ['picking_ids']);
      const picking = (so!['picking_ids'] as number[])[0]!;
      expect(await loop.client.call('stock.picking', 'button_validate', [picking])).toBe(true);
      const soi = await loop.buildAndFetch(loop.retail, '856', 'stock.picking', picking);
      expect(hierarchyOf(soi.text)).toBe('S/O/I/I/I');
      const loose = readBack<ShipNotice>(soi.text);
      expect(loose.structureCode).toBe('0004');
      expect(loose.orders[0]!.items.map((i) => [i.lineNumber, i.quantityShipped])).toEqual([['1', 120], ['2', 48], ['3', 15.5]]);

      const packed = await order('856B');
      await confirm(packed.id);
      const [so2] = await loop.client.read('sale.order', [packed.id], ['picking_ids']);
      const picking2 = (so2!['picking_ids'] as number[])[0]!;
      const model = version >= 19 ? 'stock.package' : 'stock.quant.package';
      const boxes = [await loop.client.create(model, { shipping_weight: 18.5 }), await loop.client.create(model, { shipping_weight: 7.25 })];
      const [p] = await loop.client.read('stock.picking', [picking2], ['move_ids']);
      const moves = await loop.client.read('stock.move', p!['move_ids'] as number[], ['product_id', 'move_line_ids']);
      for (const move of moves) {
        // Oats and honey in the first carton, almonds in the second.
        const box = idOf(move['product_id']) === loop.world.products[2]!.id ? boxes[1] : boxes[0];
        await loop.client.write('stock.move.line', move['move_line_ids'] as number[], { result_package_id: box, picked: true });
      }
      expect(await loop.client.call('stock.picking', 'button_validate', [picking2])).toBe(true);
      const sopi = await loop.buildAndFetch(loop.retail, '856', 'stock.picking', picking2);
      expect(hierarchyOf(sopi.text)).toBe('S/O/P/I/I/P/I');
      const asn = readBack<ShipNotice>(sopi.text);
      expect(asn.structureCode).toBe('0001');
      expect(asn.orders[0]!.packs.map((x) => [x.sscc?.slice(0, 9), x.lading?.weight, x.items.map((i) => i.lineNumber)])).toEqual([['006141410', 18.5, ['1', '2']], ['006141410', 7.25, ['3']]]);
      expect(new Set(asn.orders[0]!.packs.map((x) => x.sscc)).size).toBe(2);
      expect((await loop.acknowledge(loop.retail, sopi.doc)).state).toBe('acknowledged');
    });

    it('810: a posted invoice of the order lands in the inbox with TDS = amount_total in cents', async () => {
      const { id } = await order('810');
      await confirm(id);
      const [so] = await loop.client.read('sale.order', [id], ['name', 'partner_invoice_id', 'order_line']);
      const saleLines = await loop.client.read('sale.order.line', so!['order_line'] as number[], ['product_id', 'product_uom_qty', 'price_unit']);
      const move = await loop.client.create('account.move', {
        move_type: 'out_invoice', partner_id: idOf(so!['partner_invoice_id']), invoice_origin: so!['name'], invoice_date: '2026-12-08',
        invoice_line_ids: saleLines.map((l) => [0, 0, { product_id: idOf(l['product_id']), quantity: l['product_uom_qty'], price_unit: l['price_unit'], product_uom_id: loop.world.unitsId, sale_line_ids: [[6, 0, [l.id]]] }]),
      });
      await loop.client.call('account.move', 'action_post', [move]);
      const [posted] = await loop.client.read('account.move', [move], ['name', 'amount_total']);
      const { doc, text } = await loop.buildAndFetch(loop.retail, '810', 'account.move', move);
      const invoice = readBack<Invoice>(text);
      expect(invoice).toMatchObject({ invoiceNumber: posted!['name'], poNumber: `PO-810-${loop.world.run}` });
      const total = Math.round(Number(posted!['amount_total']) * 100);
      expect(total).toBeGreaterThan(0);
      expect(text).toMatch(new RegExp(`~\\s*TDS\\*${total}[*~]`));
      expect(invoice.totals.amount).toBe(total / 100);
      expect((await loop.acknowledge(loop.retail, doc)).state).toBe('acknowledged');
    });
  });
}

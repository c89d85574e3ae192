// How N1 ship-to and bill-to parties find the customer's addresses (src/odoo/lookup/partners.ts),
// proved with 850s written as partners send them (X12 text, read by the 850 map) and posted through
// the Odoo target: DUNS and DUNS+4 ids, ids in a field the partner file names, createMissing that
// keeps every id so the next order finds the address, a customer that shares its ship-to's name,
// and names that match several addresses. Runs against the double (18, 19) or a real Odoo.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/documents/common.js';
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { TargetError, type PostingTarget } from '../../../src/jobs/ports.js';
import { read850 } from '../../../src/maps/850-purchase-order.js';
import { odooTarget } from '../../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { allFindings, readX12 } from '../../../src/x12/reader.js';
import { envelopeFor, naturalKeyOf } from './documents.js';
import type { SuiteConnection } from './posting-suite.js';
import { recordingClient } from './recording-client.js';
import { runId, seedWorld, uniqueCode13, type World } from './seed.js';
import { noMappings } from './mappings.js';

type Rec = ReturnType<typeof recordingClient>;

/** Digits unique to the run and to n: a 9-digit DUNS, or a 13-digit DUNS+4 (DUNS + 4-digit location). */
function dunsOf(run: string, n: number): string {
  return uniqueCode13(run, 100 + n).slice(3, 12);
}
const dunsPlus4Of = (run: string, n: number) => `${dunsOf(run, n)}${String(n).padStart(4, '0')}`;

/** An 850 as a partner sends it: FreshMart-style envelope, the given N1 loops, one line by our part number. */
function x12Order(world: World, poNumber: string, partyLoops: string[]): string {
  const body = [
    'ST*850*0001',
    `BEG*00*SA*${poNumber}**20261120`,
    'DTM*002*20261204',
    `N1*BY*${world.customer.name.toUpperCase()}`,
    ...partyLoops,
    `PO1*1*12*EA*${world.products[1]!.price}**VN*${world.products[1]!.defaultCode}`,
    'CTT*1*12',
  ];
  const segments = [...body, `SE*${body.length + 1}*0001`];
  return [
    'ISA*00*          *00*          *ZZ*FRESHMART      *ZZ*ACMEDIST       *261120*0930*U*00401*000000777*0*P*>',
    'GS*PO*FRESHMART*ACMEDIST*20261120*0930*777*X*004010',
    ...segments,
    'GE*1*777',
    'IEA*1*000000777',
  ].join('~\n') + '~\n';
}

/** The 850 read by the gateway's own reader and map; fails on any finding (the X12 must be valid). */
function readOrder(text: string): PurchaseOrder {
  const read = readX12(Buffer.from(text), { file: 'parties.edi' });
  expect(allFindings(read)).toEqual([]);
  const { document, findings } = read850(read.interchanges[0]!.groups[0]!.transactions[0]!, { file: 'parties.edi' });
  expect(findings).toEqual([]);
  return document!;
}

export function partiesSuite(connect: () => Promise<SuiteConnection>): void {
  let client: Rec;
  let world: World;

  beforeAll(async () => {
    client = recordingClient((await connect()).client);
    world = await seedWorld(client, runId());
  }, 60_000);

  const targetFor = (odoo: Partial<OdooPartnerFile> = {}, customerRef = world.customer.ref): PostingTarget =>
    odooTarget({
      client,
      partner: (code) => (code === 'retail' ? ({ code, name: 'FreshMart', odoo: { partner: { ref: customerRef }, ...odoo } } as unknown as Partner) : undefined),
      productMappings: noMappings,
    });

  const post = (target: PostingTarget, po: PurchaseOrder, envelope: Envelope = envelopeFor('850')) =>
    target.post({ documentId: 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document: po, envelope });

  const rejection = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).kind).toBe('business');
    expect((error as TargetError).details['failure']).toMatchObject({ code: 'ODOO_MASTER_DATA_GAP' });
    return (error as TargetError).message;
  };

  const idOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const orderOf = async (ref: string) => {
    const [order] = await client.read('sale.order', [Number(/^sale\.order\/(\d+)/.exec(ref)![1])], ['partner_id', 'partner_shipping_id', 'partner_invoice_id']);
    return { customer: idOf(order!['partner_id']), shipTo: idOf(order!['partner_shipping_id']), billTo: idOf(order!['partner_invoice_id']) };
  };
  const newCustomer = async (label: string) => {
    const name = `${label} ${world.run}`;
    const ref = `EDI-${label.replace(/\W/g, '')}-${world.run}`;
    return { id: await client.create('res.partner', { name, ref, is_company: true }), name, ref };
  };

  describe('850 N1 parties -> the customer\'s addresses', () => {
    it('finds a DUNS+4-only ship-to (N103 9, no name) and a DUNS-only bill-to (N103 1) by their Reference', async () => {
      const [d4, duns] = [dunsPlus4Of(world.run, 1), dunsOf(world.run, 2)];
      const store = await client.create('res.partner', { name: `Store 31 ${world.run}`, parent_id: world.customer.id, type: 'delivery', ref: d4 });
      const ap = await client.create('res.partner', { name: `AP East ${world.run}`, parent_id: world.customer.id, type: 'invoice', ref: duns });
      const po = readOrder(x12Order(world, `PO-P1-${world.run}`, [`N1*ST**9*${d4}`, `N1*BT*ACCOUNTS PAYABLE*1*${duns}`]));
      expect(po.parties.find((p) => p.role === 'ship_to')!.ids).toEqual({ dunsPlus4: d4, other: [] });
      expect(await orderOf((await post(targetFor(), po)).ref)).toEqual({ customer: world.customer.id, shipTo: store, billTo: ap });
    });

    it('tells how to create an unknown DUNS+4-only ship-to so that it is found, and finds it once created as told', async () => {
      const d4 = dunsPlus4Of(world.run, 3);
      const po = readOrder(x12Order(world, `PO-P2-${world.run}`, [`N1*ST**9*${d4}`, 'N3*77 HARBOR RD', 'N4*TOLEDO*OH*43604*US']));
      const envelope = envelopeFor('850');
      const message = await rejection(post(targetFor(), po, envelope));
      expect(message).toContain(`unknown ship-to (DUNS+4 ${d4} in Reference) for ${world.customer.name}`);
      expect(message).toContain(`create a delivery address under ${world.customer.name} with Reference ${d4} (DUNS+4)`);
      expect(message).toContain('odoo.shipTo.createMissing');
      expect(await client.search('sale.order', [['client_order_ref', '=', po.poNumber]])).toEqual([]);
      // Exactly what the message says, nothing more.
      const store = await client.create('res.partner', { name: 'Toledo store', parent_id: world.customer.id, type: 'delivery', ref: d4 });
      expect((await orderOf((await post(targetFor(), po, envelope)).ref)).shipTo).toBe(store);
    });

    it('createMissing keeps every id on the addresses it creates, and the next order finds them instead of creating again', async () => {
      const [d4, duns] = [dunsPlus4Of(world.run, 4), dunsOf(world.run, 5)];
      const loops = [`N1*ST**9*${d4}`, 'N3*12 DOCK ST', 'N4*DAYTON*OH*45402*US', `N1*BT*ACCOUNTS PAYABLE WEST*1*${duns}`];
      const target = targetFor({ shipTo: { createMissing: true } });
      const first = await orderOf((await post(target, readOrder(x12Order(world, `PO-P3-${world.run}`, loops)))).ref);
      const [shipTo] = await client.read('res.partner', [first.shipTo as number], ['name', 'type', 'parent_id', 'ref', 'city', 'comment']);
      expect(shipTo).toMatchObject({ name: `ship-to DUNS+4 ${d4}`, type: 'delivery', ref: d4, city: 'DAYTON' });
      expect(idOf(shipTo!['parent_id'])).toBe(world.customer.id);
      expect(String(shipTo!['comment'])).toContain(`DUNS+4 (9) ${d4}`);
      const [billTo] = await client.read('res.partner', [first.billTo as number], ['name', 'type', 'ref', 'comment']);
      expect(billTo).toMatchObject({ name: 'ACCOUNTS PAYABLE WEST', type: 'invoice', ref: duns });
      expect(String(billTo!['comment'])).toContain(`DUNS (1) ${duns}`);

      const before = client.mutations().length;
      const second = await orderOf((await post(target, readOrder(x12Order(world, `PO-P4-${world.run}`, loops)))).ref);
      expect(second).toEqual({ ...first });
      expect(client.mutations().slice(before).filter((c) => c.model === 'res.partner')).toEqual([]);
    });

    it('never takes the customer itself for a ship-to that carries its name', async () => {
      // A delivery address named like its company: the name finds the address, not the company.
      const pacific = await newCustomer('Pacific Grocers');
      const dock = await client.create('res.partner', { name: pacific.name, parent_id: pacific.id, type: 'delivery', street: '1 Pier Rd' });
      const po = readOrder(x12Order(world, `PO-P5-${world.run}`, [`N1*ST*${pacific.name.toUpperCase()}`]));
      expect((await orderOf((await post(targetFor({}, pacific.ref), po)).ref)).shipTo).toBe(dock);
      // A company without such an address: a gap, never the company as its own ship-to.
      const harbor = await newCustomer('Harbor Foods');
      const alone = readOrder(x12Order(world, `PO-P6-${world.run}`, [`N1*ST*${harbor.name.toUpperCase()}`]));
      const message = await rejection(post(targetFor({}, harbor.ref), alone));
      expect(message).toContain(`unknown ship-to '${harbor.name.toUpperCase()}' (name '${harbor.name.toUpperCase()}') for ${harbor.name}`);
      expect(message).toContain(`create a delivery address under ${harbor.name} named '${harbor.name.toUpperCase()}'`);
    });

    it('names the addresses a name matches, with their ids and how to tell them apart', async () => {
      const gln = uniqueCode13(world.run, 40);
      const a = await client.create('res.partner', { name: `Store 9 ${world.run}`, parent_id: world.customer.id, type: 'delivery', ref: `S9-A-${world.run}` });
      const b = await client.create('res.partner', { name: `Store 9 ${world.run}`, parent_id: world.customer.id, type: 'delivery', barcode: gln });
      const byName = readOrder(x12Order(world, `PO-P7-${world.run}`, [`N1*ST*STORE 9 ${world.run}`]));
      const message = await rejection(post(targetFor(), byName));
      expect(message).toContain(`ship-to name 'STORE 9 ${world.run}' matches 2 addresses of ${world.customer.name}`);
      expect(message).toContain(`id ${a} '${world.customer.name}, Store 9 ${world.run}' (Reference S9-A-${world.run})`);
      expect(message).toContain(`id ${b} '${world.customer.name}, Store 9 ${world.run}' (Barcode ${gln})`);
      expect(message).toContain('rename or archive all but one');
      // With an id on the N1 that no address has yet: give it to the right one.
      const duns = dunsOf(world.run, 6);
      const withId = readOrder(x12Order(world, `PO-P8-${world.run}`, [`N1*ST*STORE 9 ${world.run}*1*${duns}`]));
      const told = await rejection(post(targetFor(), withId));
      expect(told).toContain(`give the right one Reference ${duns} (DUNS)`);
      await client.write('res.partner', [b], { ref: duns });
      expect((await orderOf((await post(targetFor(), withId)).ref)).shipTo).toBe(b);
    });

    it('matches and keeps an id in the field the partner file names for its qualifier', async () => {
      const duns = dunsOf(world.run, 7);
      const fields = { '1': 'company_registry', ZZ: 'ref' };
      // Company ID is a commercial field: Odoo 18 replaces it at create with the company's, a write keeps it.
      const plant = await client.create('res.partner', { name: `Plant 2 ${world.run}`, parent_id: world.customer.id, type: 'delivery' });
      await client.write('res.partner', [plant], { company_registry: duns });
      const byDuns = readOrder(x12Order(world, `PO-P9-${world.run}`, [`N1*ST*NORTH PLANT*1*${duns}`]));
      expect((await orderOf((await post(targetFor({ shipTo: { fields } }), byDuns)).ref)).shipTo).toBe(plant);

      // A mutually defined id (ZZ) named in the file: created with it in ref, found by it next time.
      const loops = [`N1*ST**ZZ*WH-5-${world.run}`, `N1*BT*AP SOUTH*1*${dunsOf(world.run, 8)}`];
      const target = targetFor({ shipTo: { fields, createMissing: true } });
      const first = await orderOf((await post(target, readOrder(x12Order(world, `PO-P10-${world.run}`, loops)))).ref);
      const [wh] = await client.read('res.partner', [first.shipTo as number], ['name', 'ref']);
      expect(wh).toMatchObject({ name: `ship-to ZZ WH-5-${world.run}`, ref: `WH-5-${world.run}` });
      const [ap] = await client.read('res.partner', [first.billTo as number], ['company_registry', 'ref']);
      expect(ap).toMatchObject({ company_registry: dunsOf(world.run, 8), ref: false });
      expect(await orderOf((await post(target, readOrder(x12Order(world, `PO-P11-${world.run}`, loops)))).ref)).toEqual(first);
    });

    it('keeps a DUNS in Company ID on an address it creates under a company that has its own Company ID', async () => {
      // Odoo 18 and 19 both copy a company's Company ID over the one a new address is created with.
      const fields = { '1': 'company_registry' };
      const registered = await newCustomer('Registered Foods');
      await client.write('res.partner', [registered.id], { company_registry: `REG-${world.run}` });
      const duns = dunsOf(world.run, 10);
      const loops = [`N1*ST*EAST DOCK*1*${duns}`, 'N3*5 QUAY ST', 'N4*ERIE*PA*16501*US'];
      const target = targetFor({ shipTo: { fields, createMissing: true } }, registered.ref);
      const first = await orderOf((await post(target, readOrder(x12Order(world, `PO-P13-${world.run}`, loops)))).ref);
      const [dock] = await client.read('res.partner', [first.shipTo as number], ['name', 'company_registry', 'parent_id']);
      expect(dock).toMatchObject({ name: 'EAST DOCK', company_registry: duns });
      expect(idOf(dock!['parent_id'])).toBe(registered.id);
      const [company] = await client.read('res.partner', [registered.id], ['company_registry']);
      expect(company!['company_registry']).toBe(`REG-${world.run}`);
      expect((await orderOf((await post(target, readOrder(x12Order(world, `PO-P14-${world.run}`, loops)))).ref)).shipTo).toBe(first.shipTo);
    });

    it('says so when the field the partner file names does not exist in this Odoo', async () => {
      const po = readOrder(x12Order(world, `PO-P12-${world.run}`, [`N1*ST**1*${dunsOf(world.run, 9)}`]));
      const message = await rejection(post(targetFor({ shipTo: { fields: { '1': 'x_duns' } } }), po));
      expect(message).toContain("odoo.shipTo.fields names the res.partner field 'x_duns' for N103 qualifier 1 (DUNS), which this Odoo does not have");
    });
  });
}

// The business key of a canonical document (what makes a resend a repeat), and the Odoo target's
// race key built from it.
import { describe, expect, it } from 'vitest';
import { businessKeyOf } from '../../src/documents/business-key.js';
import { odooTarget } from '../../src/odoo/target.js';
import type { OdooClient } from '../../src/odoo/client/client.js';
import { noMappings } from '../odoo/support/mappings.js';

const req = (documentType: string, document: unknown, partner = 'acme') => ({ partner, documentType, document, naturalKey: 'natural', documentId: 1, envelope: {} });

describe('businessKeyOf', () => {
  it('keys each set by partner, set, its own number and its purpose', () => {
    expect(businessKeyOf(req('purchase_order', { purpose: 'original', purposeCode: '00', poNumber: 'PO-1' }))).toEqual({
      partner: 'acme', setId: '850', number: 'PO-1', purposeCode: '00', amends: false, key: 'acme|850|PO-1|00',
    });
    expect(businessKeyOf(req('purchase_order_ack', { purpose: 'change', poNumber: 'PO-1' }))?.key).toBe('acme|855|PO-1|04');
    expect(businessKeyOf(req('ship_notice', { purposeCode: '00', shipmentId: 'SHP-9', orders: [{ poNumber: 'PO-1' }] }))?.key).toBe('acme|856|SHP-9|00');
    expect(businessKeyOf(req('invoice', { invoiceNumber: 'INV-7', poNumber: 'PO-1' }))?.key).toBe('acme|810|INV-7|00');
    expect(businessKeyOf(req('invoice', { invoiceNumber: 'INV-7', purposeCode: '07' }))?.key).toBe('acme|810|INV-7|07');
  });

  it('a cancellation (01) or a replace (05) amends; other purposes do not', () => {
    const amends = (code: string) => businessKeyOf(req('purchase_order', { purpose: 'other', purposeCode: code, poNumber: 'PO-1' }))!.amends;
    expect(['01', '05'].map(amends)).toEqual([true, true]);
    expect(['00', '04', '06', '07', '18'].map(amends)).toEqual([false, false, false, false, false]);
    expect(businessKeyOf(req('ship_notice', { purposeCode: '05', shipmentId: 'SHP-9' }))!.amends).toBe(true);
  });

  it('the same document of another partner, or another number, is another key', () => {
    const po = { purpose: 'original', purposeCode: '00', poNumber: 'PO-1' };
    const keys = [req('purchase_order', po), req('purchase_order', po, 'other'), req('purchase_order', { ...po, poNumber: 'PO-2' }), req('purchase_order_ack', po)].map((r) => businessKeyOf(r)!.key);
    expect(new Set(keys).size).toBe(4);
  });

  it('has no key for a 997, an unknown type, or a document without its number', () => {
    expect(businessKeyOf(req('functional_ack', { kind: '997' }))).toBeUndefined();
    expect(businessKeyOf(req('', null))).toBeUndefined();
    expect(businessKeyOf(req('purchase_order', { purpose: 'original', poNumber: ' ' }))).toBeUndefined();
    expect(businessKeyOf(req('invoice', null))).toBeUndefined();
  });
});

describe("the Odoo target's business key", () => {
  const target = odooTarget({ client: {} as OdooClient, partner: () => undefined, productMappings: noMappings });

  it('races on the document number of the business key, whatever the purpose; an 856 on its POs', () => {
    expect(target.businessKey(req('purchase_order', { purpose: 'original', purposeCode: '00', poNumber: 'PO-1' }))).toBe('acme:purchase_order:PO-1');
    expect(target.businessKey(req('purchase_order', { purpose: 'cancellation', purposeCode: '01', poNumber: 'PO-1' }))).toBe('acme:purchase_order:PO-1');
    expect(target.businessKey(req('invoice', { invoiceNumber: 'INV-7' }))).toBe('acme:invoice:INV-7');
    expect(target.businessKey(req('ship_notice', { purposeCode: '00', shipmentId: 'SHP-9', orders: [{ poNumber: 'B' }, { poNumber: 'A' }] }))).toBe('acme:ship_notice:A,B');
    expect(target.businessKey(req('functional_ack', {}))).toBe('natural');
  });
});

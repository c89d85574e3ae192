// Property: a canonical document, as the ERP side would make one, written as X12 (the map's write,
// serializeInterchange) and read back (readX12, the map's read) is the same document, in 004010 and
// 005010, with no finding. The normalizations the maps make are spelled out in `expected` below; the
// arbitraries make only values a read can give back (trimmed non-empty text, valid dates, decimals
// of at most 15 digits, N2 amounts in cents). FUZZ_SEED / FUZZ_RUNS override seed and runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AllowanceCharge, Contact, DateReference, Party, ProductIds, Reference } from '../../src/documents/common.js';
import { purposeOf, PURPOSE_CODES, type OrderLine, type PurchaseOrder, PurchaseOrderSchema } from '../../src/documents/purchase-order.js';
import { InvoiceSchema, type Invoice } from '../../src/documents/invoice.js';
import { formatFinding } from '../../src/errors/finding.js';
import { roleOf } from '../../src/maps/shared/parties.js';
import { quantityHashTotal } from '../../src/maps/shared/order-totals.js';
import type { X12Version } from '../../src/maps/shared/map-types.js';
import { mapFor } from '../../src/maps/registry.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import { functionalGroupFor } from '../../src/x12/specs.js';
import { formatDecimal, parseDecimal } from '../../src/maps/shared/values.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

// ---- values a read gives back ----

/** Text as a read returns it: no delimiters, no control characters, trimmed, not empty. */
const text = (max = 20) => fc.stringMatching(new RegExp(`^[A-Z0-9](?:[A-Z0-9 .,/#&()-]{0,${max - 2}}[A-Z0-9])?$`));
const code = fc.stringMatching(/^[A-Z0-9]{2,3}$/);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** R values: up to 4 decimals, the way a person or an ERP writes quantities and prices. */
const decimal = fc.tuple(fc.integer({ min: -9_999_999, max: 9_999_999 }), fc.integer({ min: 0, max: 4 })).map(([n, d]) => n / 10 ** d);
const positive = fc.tuple(fc.integer({ min: 1, max: 9_999_999 }), fc.integer({ min: 0, max: 4 })).map(([n, d]) => n / 10 ** d);
/** N2 amounts (SAC05, ITD08): whole cents. */
const cents = fc.integer({ min: -99_999_999, max: 99_999_999 }).map((n) => n / 100);
const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2049-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), opt(fc.integer({ min: 0, max: 59 })))
  .map(([h, m, s]) => [h, m, ...(s === undefined ? [] : [s])].map((n) => String(n).padStart(2, '0')).join(':'));

/** An object without its undefined fields (what a read builds with assignDefined). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
/** fc.record without the undefined fields: `opt(...)` fields come out absent, as a read leaves them. */
function rec<T extends object>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return (fc.record(fields) as fc.Arbitrary<T>).map(defined);
}

const reference: fc.Arbitrary<Reference> = rec({ qualifier: code, value: text(), description: opt(text(30)) });
const dateRef: fc.Arbitrary<DateReference> = rec({ qualifier: fc.stringMatching(/^\d{3}$/), date: isoDate, time: opt(time) });
const contact: fc.Arbitrary<Contact> = rec({ function: code, name: opt(text()), phone: opt(fc.stringMatching(/^\d{10}$/)), email: opt(fc.stringMatching(/^[A-Z]{1,8}@[A-Z]{1,8}\.EXAMPLE$/)), fax: opt(fc.stringMatching(/^\d{10}$/)) });
const allowanceCharge: fc.Arbitrary<AllowanceCharge> = rec({
  indicator: fc.constantFrom('allowance' as const, 'charge' as const, 'no_charge' as const), code: opt(fc.stringMatching(/^[A-Z]\d{3}$/)),
  amount: opt(cents), percentQualifier: opt(fc.constantFrom('1', '3')), percent: opt(positive), rate: opt(positive), unit: opt(fc.constantFrom('EA', 'CA')),
  quantity: opt(positive), handling: opt(fc.stringMatching(/^\d{2}$/)), reference: opt(text()), description: opt(text(30)),
});
const terms = rec({
  typeCode: opt(fc.stringMatching(/^\d{2}$/)), basisDateCode: opt(fc.stringMatching(/^\d$/)), discountPercent: opt(positive), discountDueDate: opt(isoDate),
  discountDays: opt(fc.integer({ min: 0, max: 999 })), netDueDate: opt(isoDate), netDays: opt(fc.integer({ min: 0, max: 999 })), discountAmount: opt(cents), description: opt(text(30)),
});
const carrier = rec({
  routingSequence: opt(fc.constantFrom('O', 'B')), idQualifier: opt(fc.constantFrom('2', 'ZZ')), scac: opt(fc.stringMatching(/^[A-Z]{4}$/)),
  transportMethod: opt(fc.constantFrom('M', 'U', 'A')), routing: opt(text(30)), serviceLevel: opt(fc.constantFrom('SG', 'CG', '3D')),
}).filter((c) => Object.keys(c).length > 0);
const note = rec({ qualifier: code, reference: opt(text()), description: opt(text()), dates: fc.array(dateRef, { maxLength: 2 }), messages: fc.array(text(60), { maxLength: 3 }) })
  .filter((n) => n.reference !== undefined || n.description !== undefined);

/** N1 holds one id: a party has at most one (named, or one `other` with a qualifier no named kind uses). */
const partyIds = fc.oneof(
  fc.constant({ other: [] }),
  fc.tuple(fc.constantFrom('gln', 'duns', 'dunsPlus4', 'assignedByBuyer', 'assignedBySeller'), text(15)).map(([k, v]) => ({ [k]: v, other: [] })),
  fc.tuple(fc.constantFrom('ZZ', '94', 'ZA'), text(15)).map(([qualifier, value]) => ({ other: [{ qualifier, value }] })),
);
const address = fc.oneof(
  // N4 without N402 may carry N407 (written in 005010 only).
  rec({ lines: fc.array(text(30), { maxLength: 3 }), city: text(), postalCode: opt(fc.stringMatching(/^\d{5}$/)), country: opt(fc.constantFrom('US', 'CA')), subdivision: opt(fc.constantFrom('ON', 'QC')) }),
  rec({ lines: fc.array(text(30), { maxLength: 3 }), city: text(), state: fc.constantFrom('OH', 'MI'), postalCode: opt(fc.stringMatching(/^\d{5}$/)), country: opt(fc.constant('US')) }),
);
const party: fc.Arbitrary<Party> = fc
  .record({
    entityCode: fc.constantFrom('BY', 'SE', 'ST', 'BT', 'SF', 'VN', 'SU', 'RI', 'Z7', 'OB'), name: opt(text(30)), names: fc.array(text(30), { maxLength: 3 }),
    ids: partyIds, address: opt(address), references: fc.array(reference, { maxLength: 2 }), contacts: fc.array(contact, { maxLength: 2 }),
  })
  // N1 needs a name or an id (N102 or N103/N104): the map writes a party without either, and reads it back as an error.
  .filter((p) => p.name !== undefined || Object.keys(p.ids).length > 1 || p.ids.other.length > 0)
  .map((p) => defined({ role: roleOf(p.entityCode), ...p }) as Party);

/** PO1 has ten id pairs: named kinds (written first, in a fixed order) and others whose qualifier names no kind. */
const productIds: fc.Arbitrary<ProductIds> = fc
  .record({
    buyerPart: opt(text(15)), vendorPart: opt(text(15)), upc: opt(fc.stringMatching(/^\d{12}$/)), gtin: opt(fc.stringMatching(/^\d{14}$/)),
    ean: opt(fc.stringMatching(/^\d{13}$/)), sku: opt(text(15)),
    other: fc.array(rec({ qualifier: fc.constantFrom('MG', 'CB', 'PN'), value: text(15) }), { maxLength: 2 }),
  })
  .map((ids) => defined(ids) as ProductIds);

// ---- the purchase order ----

const orderLine: fc.Arbitrary<OrderLine> = fc
  .record({
    lineNumber: opt(fc.stringMatching(/^[1-9]\d{0,3}$/)), quantity: positive, unit: fc.constantFrom('EA', 'CA', 'LB', 'BX'), unitPrice: opt(positive),
    priceBasis: opt(fc.constantFrom('PE', 'CP')), productIds,
    description: opt(text(40)),
    // Not free-form without a characteristic: that PID reads as the line's description.
    descriptions: fc.array(rec({ type: fc.constantFrom('F', 'S'), characteristic: fc.constantFrom('73', '74', '75'), text: opt(text(40)) }), { maxLength: 2 }),
    pack: opt(rec({ pack: opt(positive), size: opt(positive), unit: opt(fc.constantFrom('OZ', 'EA')), packaging: opt(fc.constantFrom('CTN', 'CTN25')) }).filter((p) => Object.keys(p).length > 0)),
    references: fc.array(reference, { maxLength: 2 }), dates: fc.array(dateRef, { maxLength: 2 }), allowancesCharges: fc.array(allowanceCharge, { maxLength: 2 }),
    // Free text (bare MSG/MTX) is written before the N9 loops: generated in that order.
    freeText: fc.array(fc.array(text(60), { minLength: 1, maxLength: 2 }), { maxLength: 1 }), loops: fc.array(note, { maxLength: 2 }),
    parties: fc.array(party, { maxLength: 2 }),
  })
  .map(({ freeText, loops, ...line }) => defined({ ...line, notes: [...freeText.map((messages) => ({ dates: [], messages })), ...loops] }) as OrderLine);

const purchaseOrder: fc.Arbitrary<PurchaseOrder> = fc
  .record({
    purposeCode: fc.constantFrom(...Object.values(PURPOSE_CODES)), orderType: fc.constantFrom('SA', 'DS', 'RL', 'NE'), poNumber: text(22),
    releaseNumber: opt(text()), poDate: isoDate, contractNumber: opt(text()), currency: opt(fc.constantFrom('USD', 'CAD')),
    references: fc.array(reference, { maxLength: 3 }), contacts: fc.array(contact, { maxLength: 2 }), dates: fc.array(dateRef, { maxLength: 3 }),
    parties: fc.array(party, { maxLength: 3 }), terms: fc.array(terms, { maxLength: 2 }), carriers: fc.array(carrier, { maxLength: 2 }),
    allowancesCharges: fc.array(allowanceCharge, { maxLength: 2 }), notes: fc.array(note, { maxLength: 2 }),
    lines: fc.array(orderLine, { minLength: 1, maxLength: 4 }), amount: opt(cents), hash: fc.boolean(),
  })
  .map(({ amount, hash, ...po }) => PurchaseOrderSchema.parse(defined({
    ...po, purpose: purposeOf(po.purposeCode),
    // CTT01 is always written (the number of lines); CTT02 when the document has it, and then it adds up.
    totals: defined({ lineCount: po.lines.length, hashTotal: hash ? quantityHashTotal(po.lines) : undefined, amount }),
  })));

// ---- the invoice ----

const tax = rec({
  typeCode: fc.constantFrom('ST', 'GS', 'VA', 'LT'), amount: opt(decimal), percent: opt(positive), jurisdictionQualifier: opt(fc.constantFrom('SP', 'CD')),
  jurisdictionCode: opt(fc.constantFrom('OH', 'MI')), exemptCode: opt(fc.stringMatching(/^\d$/)), relationshipCode: opt(fc.constantFrom('A', 'O')), basisAmount: opt(positive), taxId: opt(text(15)),
});
const invoiceLine = rec({
  lineNumber: opt(fc.stringMatching(/^[1-9]\d{0,3}$/)), quantity: decimal, unit: fc.constantFrom('EA', 'CA', 'BX'), unitPrice: decimal,
  priceBasis: opt(fc.constantFrom('PE', 'CP')), productIds, description: opt(text(40)),
  references: fc.array(reference, { maxLength: 2 }), dates: fc.array(dateRef, { maxLength: 2 }),
  allowancesCharges: fc.array(allowanceCharge, { maxLength: 2 }), taxes: fc.array(tax, { maxLength: 2 }),
});
const invoice: fc.Arbitrary<Invoice> = fc
  .record({
    invoiceNumber: text(22), invoiceDate: isoDate, poDate: opt(isoDate), poNumber: opt(text(22)), releaseNumber: opt(text()), changeOrderSequence: opt(fc.stringMatching(/^\d{1,3}$/)),
    transactionType: opt(fc.constantFrom('DI', 'CR')), purposeCode: opt(fc.constantFrom('00', '05')), currency: opt(fc.constantFrom('USD', 'CAD')),
    references: fc.array(reference, { maxLength: 3 }), parties: fc.array(party, { maxLength: 3 }), terms: fc.array(terms, { maxLength: 2 }), dates: fc.array(dateRef, { maxLength: 2 }),
    lines: fc.array(invoiceLine, { maxLength: 4 }),
    totals: rec({ amount: cents, amountSubjectToDiscount: opt(cents), discountedAmountDue: opt(cents), termsDiscountAmount: opt(cents) }),
    taxes: fc.array(tax, { maxLength: 2 }),
    // CAD01 is mandatory in 005010 (the writer refuses a CAD without it).
    carrierDetails: opt(rec({
      transportMethod: fc.constantFrom('M', 'U'), equipmentInitial: opt(fc.stringMatching(/^[A-Z]{4}$/)), equipmentNumber: opt(fc.stringMatching(/^\d{6}$/)), scac: opt(fc.stringMatching(/^[A-Z]{4}$/)),
      routing: opt(text(30)), statusCode: opt(fc.constantFrom('CC', 'PP')), referenceQualifier: opt(fc.constantFrom('BM', 'CN')), referenceId: opt(text()), serviceLevel: opt(fc.constantFrom('SG', '3D')),
    })),
    allowancesCharges: fc.array(allowanceCharge, { maxLength: 2 }),
    shipmentSummary: fc.array(rec({ units: opt(positive), unit: opt(fc.constantFrom('EA', 'CA')), weight: opt(positive), weightUnit: opt(fc.constantFrom('LB', 'KG')) }).filter((x) => Object.keys(x).length > 0), { maxLength: 2 }),
  })
  .map((doc) => InvoiceSchema.parse(defined(doc)));

/** The 810 always writes CTT: CTT01 the number of IT1 lines, CTT02 the sum of IT102 when there are lines; both read back. */
function invoiceTotals(doc: Invoice): Invoice {
  const hash = doc.lines.length > 0 ? parseDecimal(formatDecimal(doc.lines.reduce((sum, l) => sum + l.quantity, 0))) : undefined;
  return { ...doc, totals: defined({ ...doc.totals, lineCount: doc.lines.length, hashTotal: hash }) };
}

// ---- write, read, compare ----

function roundTrip(setId: string, document: unknown, version: X12Version) {
  const map = mapFor(setId)!;
  const isaVersion = version === '005010' ? '00501' : '00401';
  const x12 = serializeInterchange({
    header: { senderQualifier: 'ZZ', senderId: 'ACMEDIST', receiverQualifier: 'ZZ', receiverId: 'PARTNER', date: '261207', time: '1200', version: isaVersion, controlNumber: 7, usage: 'T' },
    groups: [{
      functionalId: functionalGroupFor(setId)!, senderId: 'ACMEDIST', receiverId: 'PARTNER', date: '20261207', time: '1200', controlNumber: '7', version,
      transactions: [{ id: setId, controlNumber: '0001', body: map.write(document as never, version) as SegmentData[] }],
    }],
  }, { delimiters: defaultDelimiters(isaVersion), lineBreak: '\n' });
  const read = readX12(x12, { file: 'round-trip.edi' });
  const tx = read.interchanges[0]!.groups[0]!.transactions[0]!;
  const mapped = map.read(tx, { file: 'round-trip.edi' });
  return { x12, document: mapped.document, findings: [...allFindings(read), ...mapped.findings].map(formatFinding) };
}

/**
 * The normalization of the 850 and 810: N407 (the address's subdivision) exists in 005010 only and is
 * written only with an N404 country and without an N402 state; otherwise it does not survive.
 */
function expected<T>(value: T, version: X12Version): T {
  if (Array.isArray(value)) return value.map((v) => expected(v, version)) as T;
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keepsSubdivision = version === '005010' && o.country !== undefined && o.state === undefined;
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'subdivision' || keepsSubdivision).map(([k, v]) => [k, expected(v, version)])) as T;
}

describe.each(['004010', '005010'] as const)('canonical -> X12 %s -> canonical', (version) => {
  it('850 purchase order: the same document, no finding', () => {
    fc.assert(
      fc.property(purchaseOrder, (po) => {
        const back = roundTrip('850', po, version);
        expect(back.findings).toEqual([]);
        expect(back.document).toEqual(expected(po, version));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('810 invoice: the same document (its CTT filled in), no finding', () => {
    fc.assert(
      fc.property(invoice, (inv) => {
        const back = roundTrip('810', inv, version);
        expect(back.findings).toEqual([]);
        expect(back.document).toEqual(expected(invoiceTotals(inv), version));
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });
});

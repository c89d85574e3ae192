// Issue 11: product lookup by the qualifiers real partners use beyond BP/VN/UP (UA, UI, CB, VA, MG
// on 850s; CB, VC, N4 on 855s and 856s), against the double or a real Odoo. Codes, barcodes and
// drug codes carry the run's suffix, so a real database can take the suite again and again.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { productLookup } from '../../../src/odoo/lookup/products.js';
import { gs1CheckDigit } from '../../../src/odoo/lookup/product-ids.js';
import type { PostingContext } from '../../../src/odoo/postings/context.js';
import { odooSettingsOf } from '../../../src/odoo/settings.js';
import type { OdooPartnerFile } from '../../../src/partners/types.js';
import type { SuiteConnection } from './posting-suite.js';
import { runId, uniqueCode13 } from './seed.js';
import { mappingsFrom } from './mappings.js';

export function productIdsSuite(label: string, connect: () => Promise<SuiteConnection>): void {
  describe(`product lookup against ${label}`, () => {
    let client: OdooClient;
    let vendor: number;
    const mapping = new Map<string, string>();
    const run = runId();
    const code = (c: string) => `${c}-${run}`;
    // An 11-digit UPC body (sent without its check digit as UI), and an 11-digit drug code (N4 5-4-2).
    const upcBody = uniqueCode13(run, 1).slice(1, 12);
    const drug = uniqueCode13(run, 2).slice(1, 12);
    const drugWithHyphens = `${drug.slice(0, 5)}-${drug.slice(5, 9)}-${drug.slice(9)}`;

    beforeAll(async () => {
      client = (await connect()).client;
      await client.create('product.product', { name: `Cola 12oz ${run}`, default_code: code('COLA-12'), barcode: `${upcBody}${gs1CheckDigit(upcBody)}`, type: 'consu' });
      await client.create('product.product', { name: `Aspirin 100 ${run}`, default_code: code('ASP-100'), barcode: drug, type: 'consu' });
      const bolt = await client.create('product.product', { name: `Bolt M8 ${run}`, default_code: code('BOLT-M8'), type: 'consu' });
      vendor = await client.create('res.partner', { name: `Fasteners Inc ${run}`, is_company: true });
      const [template] = await client.read('product.product', [bolt], ['product_tmpl_id']);
      await client.create('product.supplierinfo', { partner_id: vendor, product_tmpl_id: (template!['product_tmpl_id'] as [number, string])[0], product_code: code('VC-88') });
    }, 60_000);

    const ctxFor = (odoo: Partial<OdooPartnerFile> = {}) =>
      ({
        client,
        partnerCode: 'acme',
        partnerFile: 'partners/acme.yaml',
        settings: odooSettingsOf({ partner: { ref: 'ACME' }, ...odoo }),
        productMappings: (codes: readonly string[]) => mappingsFrom((c) => mapping.get(c))('', codes),
      }) as unknown as PostingContext;

    it('finds a product by a case or consumer-package UPC without check digit (UI) and by a drug code (N4)', async () => {
      const lookup = productLookup(ctxFor(), 'customer');
      expect((await lookup.resolve({ other: [{ qualifier: 'UI', value: upcBody }] }, 'line 1')).defaultCode).toBe(code('COLA-12'));
      const supplier = productLookup(ctxFor(), 'supplier', vendor);
      expect((await supplier.resolve({ other: [{ qualifier: 'N4', value: drugWithHyphens }] }, 'line 2')).defaultCode).toBe(code('ASP-100'));
    });

    it("finds a supplier's product by its catalog number (VC) in the vendor's product codes, and by our code quoted back (CB)", async () => {
      const supplier = productLookup(ctxFor(), 'supplier', vendor);
      expect((await supplier.resolve({ other: [{ qualifier: 'VC', value: code('VC-88') }] }, 'line 1')).defaultCode).toBe(code('BOLT-M8'));
      expect((await supplier.resolve({ other: [{ qualifier: 'CB', value: code('COLA-12') }] }, 'line 2')).defaultCode).toBe(code('COLA-12'));
    });

    it('an unknown CB or VA offers the mapping fix, and the fix works for any qualifier', async () => {
      const lookup = productLookup(ctxFor(), 'customer');
      const [cat, style, z] = [code('CAT-555'), code('STYLE-9'), code('Z-7')];
      const ids = { other: [{ qualifier: 'CB', value: cat }, { qualifier: 'VA', value: style }] };
      const message = await lookup.resolve(ids, 'line 3').then(() => 'found', (e: Error) => e.message);
      expect(message).toMatch(/^line 3: unknown product: /);
      expect(message).toContain(`VA '${style}' as internal reference`);
      expect(message).toContain(`fix: edi products map acme ${cat} <internal reference> (its CB code)`);
      mapping.set(cat, code('BOLT-M8'));
      expect((await productLookup(ctxFor(), 'customer').resolve(ids, 'line 3')).defaultCode).toBe(code('BOLT-M8'));
      // A qualifier nobody knows (ZZ) is mapped the same way.
      mapping.set(z, code('ASP-100'));
      expect((await productLookup(ctxFor(), 'customer').resolve({ other: [{ qualifier: 'ZZ', value: z }] }, 'line 4')).defaultCode).toBe(code('ASP-100'));
    });

    it('the partner file says what a qualifier means (MG: defaultCode)', async () => {
      const ids = { other: [{ qualifier: 'MG', value: code('BOLT-M8') }] };
      // Built in, a customer's MG is the manufacturer's part: tried as our internal reference.
      expect((await productLookup(ctxFor(), 'customer').resolve(ids, 'line 1')).defaultCode).toBe(code('BOLT-M8'));
      // From a supplier, MG is theirs; the partner file can say it is our internal reference.
      await expect(productLookup(ctxFor(), 'supplier', vendor).resolve(ids, 'line 1')).rejects.toThrow(/unknown product/);
      expect((await productLookup(ctxFor({ products: { ids: { MG: 'defaultCode' } } }), 'supplier', vendor).resolve(ids, 'line 1')).defaultCode).toBe(code('BOLT-M8'));
    });
  });
}

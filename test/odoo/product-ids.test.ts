// Issue 11: real orders identify products with qualifiers beyond BP/VN/UP (UA, UI, CB, VA, MG on
// 850s; CB, VC, N4 on 855s and 856s). Each is matched against what it means, a partner file may say
// otherwise per qualifier, the mapping table takes any qualifier, and the message offers a fix that works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { barcodeVariants, productLookup } from '../../src/odoo/lookup/products.js';
import { gs1CheckDigit, productIdUses } from '../../src/odoo/lookup/product-ids.js';
import type { PostingContext } from '../../src/odoo/postings/context.js';
import { odooSettingsOf } from '../../src/odoo/settings.js';
import type { OdooPartnerFile } from '../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';

describe('what each qualifier is matched against', () => {
  it('by who sent the document, with the partner file over the built-in uses', () => {
    const ids = { buyerPart: 'B-1', vendorPart: 'V-1', other: [{ qualifier: 'CB', value: 'CAT-1' }, { qualifier: 'UA', value: '1234567890' }, { qualifier: 'MG', value: 'M-1' }, { qualifier: 'ZZ', value: 'Z-1' }] };
    const uses = (sender: 'customer' | 'supplier', over = {}) => productIdUses(ids, sender, over).map((i) => `${i.qualifier}:${i.use}`);
    expect(uses('customer')).toEqual(['BP:theirs', 'VN:ours', 'CB:theirs', 'UA:barcode', 'MG:ours', 'ZZ:mapping']);
    expect(uses('supplier')).toEqual(['BP:ours', 'VN:theirs', 'CB:ours', 'UA:barcode', 'MG:theirs', 'ZZ:mapping']);
    expect(uses('customer', { MG: 'barcode', ZZ: 'defaultCode' })).toEqual(['BP:theirs', 'VN:ours', 'CB:theirs', 'UA:barcode', 'MG:barcode', 'ZZ:ours']);
  });

  it('completes UPC codes sent without their check digit (UA, UI, UN) and reads drug codes with hyphens', () => {
    // A well-known UPC-A: 0 36000 29145 2.
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(barcodeVariants('03600029145', 'missing')).toEqual(expect.arrayContaining(['036000291452', '0036000291452', '00036000291452']));
    expect(barcodeVariants('036000291452')).not.toContain('0360002914520');
    expect(barcodeVariants('12345-6789-01')).toContain('12345678901');
  });
});

describe('product lookup against the Odoo 19 double', () => {
  let double: OdooDouble;
  let client: OdooClient;
  let vendor: number;
  const mapping = new Map<string, string>();
  beforeAll(async () => {
    double = await startOdooDouble({ version: 19 });
    client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
    await client.create('product.product', { name: 'Cola 12oz', default_code: 'COLA-12', barcode: '036000291452', type: 'consu' });
    await client.create('product.product', { name: 'Aspirin 100', default_code: 'ASP-100', barcode: '12345678901', type: 'consu' });
    const bolt = await client.create('product.product', { name: 'Bolt M8', default_code: 'BOLT-M8', type: 'consu' });
    vendor = await client.create('res.partner', { name: 'Fasteners Inc', is_company: true });
    const [template] = await client.read('product.product', [bolt], ['product_tmpl_id']);
    await client.create('product.supplierinfo', { partner_id: vendor, product_tmpl_id: (template!['product_tmpl_id'] as [number, string])[0], product_code: 'VC-88' });
  });
  afterAll(() => double?.close());

  const ctxFor = (odoo: Partial<OdooPartnerFile> = {}) =>
    ({
      client,
      partnerCode: 'acme',
      partnerFile: 'partners/acme.yaml',
      settings: odooSettingsOf({ partner: { ref: 'ACME' }, ...odoo }),
      productMapping: async (code: string) => mapping.get(code),
    }) as unknown as PostingContext;

  it('finds a product by a case or consumer-package UPC without check digit (UI) and by a drug code (N4)', async () => {
    const lookup = productLookup(ctxFor(), 'customer');
    expect((await lookup.resolve({ other: [{ qualifier: 'UI', value: '03600029145' }] }, 'line 1')).defaultCode).toBe('COLA-12');
    const supplier = productLookup(ctxFor(), 'supplier', vendor);
    expect((await supplier.resolve({ other: [{ qualifier: 'N4', value: '12345-6789-01' }] }, 'line 2')).defaultCode).toBe('ASP-100');
  });

  it("finds a supplier's product by its catalog number (VC) in the vendor's product codes, and by our code quoted back (CB)", async () => {
    const supplier = productLookup(ctxFor(), 'supplier', vendor);
    expect((await supplier.resolve({ other: [{ qualifier: 'VC', value: 'VC-88' }] }, 'line 1')).defaultCode).toBe('BOLT-M8');
    expect((await supplier.resolve({ other: [{ qualifier: 'CB', value: 'COLA-12' }] }, 'line 2')).defaultCode).toBe('COLA-12');
  });

  it('an unknown CB or VA offers the mapping fix, and the fix works for any qualifier', async () => {
    const lookup = productLookup(ctxFor(), 'customer');
    const ids = { other: [{ qualifier: 'CB', value: 'CAT-555' }, { qualifier: 'VA', value: 'STYLE-9' }] };
    await expect(lookup.resolve(ids, 'line 3')).rejects.toThrow(/line 3: unknown product: .*VA 'STYLE-9' as internal reference.*fix: edi products map acme CAT-555 <internal reference> \(its CB code\)/);
    mapping.set('CAT-555', 'BOLT-M8');
    expect((await productLookup(ctxFor(), 'customer').resolve(ids, 'line 3')).defaultCode).toBe('BOLT-M8');
    // A qualifier nobody knows (ZZ) is mapped the same way.
    mapping.set('Z-7', 'ASP-100');
    expect((await productLookup(ctxFor(), 'customer').resolve({ other: [{ qualifier: 'ZZ', value: 'Z-7' }] }, 'line 4')).defaultCode).toBe('ASP-100');
  });

  it('the partner file says what a qualifier means (MG: defaultCode)', async () => {
    const ids = { other: [{ qualifier: 'MG', value: 'BOLT-M8' }] };
    // Built in, a customer's MG is the manufacturer's part: tried as our internal reference.
    expect((await productLookup(ctxFor(), 'customer').resolve(ids, 'line 1')).defaultCode).toBe('BOLT-M8');
    // From a supplier, MG is theirs; the partner file can say it is our internal reference.
    await expect(productLookup(ctxFor(), 'supplier', vendor).resolve(ids, 'line 1')).rejects.toThrow(/unknown product/);
    expect((await productLookup(ctxFor({ products: { ids: { MG: 'defaultCode' } } }), 'supplier', vendor).resolve(ids, 'line 1')).defaultCode).toBe('BOLT-M8');
  });
});

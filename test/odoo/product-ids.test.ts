// Issue 11: real orders identify products with qualifiers beyond BP/VN/UP (UA, UI, CB, VA, MG on
// 850s; CB, VC, N4 on 855s and 856s). Each is matched against what it means, a partner file may say
// otherwise per qualifier, the mapping table takes any qualifier, and the message offers a fix that works.
// The lookups against Odoo are support/product-ids.ts, run here on the doubles and in
// patterns-real.test.ts on a real Odoo.
import { afterAll, describe, expect, it } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { barcodeVariants } from '../../src/odoo/lookup/products.js';
import { gs1CheckDigit, productIdUses } from '../../src/odoo/lookup/product-ids.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { productIdsSuite } from './support/product-ids.js';

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

for (const version of [18, 19] as const) {
  let double: OdooDouble | undefined;
  afterAll(() => double?.close());
  productIdsSuite(`the Odoo ${version} double`, async () => {
    double = await startOdooDouble({ version });
    return { client: createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }) };
  });
}

// One customer partner posting to Odoo, as the `edi start` tests use it: FreshMart's partner files
// (folder transport, odoo: section) and its master data in an Odoo (the double or a real one), so
// that the sample 850 `850-grocery-gln-allowances.edi` (PO FM-4500123) posts as a sale order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OdooClient } from '../../src/odoo/client/client.js';

/** The sample 850 FreshMart sends, and its PO number. */
export const FRESHMART_850 = 'samples/004010/850/850-grocery-gln-allowances.edi';
export const FRESHMART_PO = 'FM-4500123';

/**
 * Writes <dataDir>/partners/{_gateway,freshmart}.yaml; FreshMart's inbound folder is <dataDir>/in/freshmart.
 * `outbound`: the sets we send FreshMart, delivered into <dataDir>/out/freshmart. Returns the partners folder.
 */
export function writeFreshmartPartners(dataDir: string, options: { outbound?: readonly string[] } = {}): string {
  const outbound = options.outbound ?? [];
  const dir = join(dataDir, 'partners');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(dataDir, 'in', 'freshmart'), { recursive: true });
  writeFileSync(join(dir, '_gateway.yaml'), 'us:\n  isa: { qualifier: ZZ, id: ACMEDIST }\n  gs: ACMEDIST\ndefaults:\n  mode: production\n');
  writeFileSync(join(dir, 'freshmart.yaml'), [
    'name: FreshMart',
    'identity:',
    '  isa: { qualifier: ZZ, id: FRESHMART }',
    '  gs: FRESHMART',
    outbound.length ? `documents: { inbound: ['850', '997'], outbound: [${outbound.map((s) => `'${s}'`).join(', ')}] }` : "documents: { inbound: ['850'] }",
    'transport:',
    '  type: folder',
    '  inbound: { folder: in/freshmart, stableSeconds: 1, archive: { action: move, folder: archive/freshmart } }',
    ...(outbound.length ? ['  outbound: { folder: out/freshmart }'] : []),
    'odoo:',
    '  partner: { ref: FRESHMART }',
    "  units: { CA: 'Units', LB: 'Units' }",
    '  confirmOrders: true',
    '',
  ].join('\n'));
  return dir;
}

/** The customer, its ship-to and bill-to addresses (by GLN) and the three products of the sample 850. */
export async function seedFreshmart(client: OdooClient): Promise<void> {
  const customer = await client.create('res.partner', { name: 'FreshMart Stores Inc', ref: 'FRESHMART', is_company: true });
  await client.create('res.partner', { name: 'DC 07', parent_id: customer, type: 'delivery', barcode: '0614141000074' });
  await client.create('res.partner', { name: 'AP', parent_id: customer, type: 'invoice', barcode: '0614141000029' });
  for (const [code, barcode] of [['AC-1001', '012345678905'], ['AC-1002', '012345678912'], ['AC-2040', '012345678929']]) {
    await client.create('product.product', { name: code, default_code: code, barcode, type: 'consu' });
  }
}

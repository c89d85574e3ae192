// The context the outbound builder tests build with: the customer's partner file ('retail') and
// the stored 850s the test keeps by partner|PO number, as the gateway's store would answer them.
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import type { BuildContext, StoredInbound } from '../../../src/odoo/builders/types.js';
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { loadOdooSchema } from '../../../src/odoo/field-names.js';
import { odooSettingsOf } from '../../../src/odoo/settings.js';
import type { OdooPartnerFile } from '../../../src/partners/types.js';

export async function retailBuildContext(client: OdooClient, customerName: string, odoo: OdooPartnerFile, stored: ReadonlyMap<string, StoredInbound<PurchaseOrder>>): Promise<BuildContext> {
  return {
    client,
    schema: await loadOdooSchema(client),
    partnerCode: 'retail',
    partnerName: customerName,
    partnerFile: 'partners/retail.yaml',
    settings: odooSettingsOf(odoo),
    inbound: { purchaseOrder: async (p, n) => stored.get(`${p}|${n}`) },
  };
}

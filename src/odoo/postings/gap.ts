// A master-data gap: what the posting looked for in Odoo and did not find, worded so a person
// knows what to create or map (ODOO_MASTER_DATA_GAP). The document waits in 'rejected' until they
// have, then a replay posts it (the code's policy is business: the target rejects, no retry).
// Other business refusals of a posting (the order's state, a price) are GatewayErrors of their own
// codes, so that a gap means a gap.
import { GatewayError } from '../../errors/failure.js';

export type GapKind = 'partner' | 'address' | 'product' | 'unit' | 'purchase-order' | 'order-line' | 'order' | 'receipt';

export class MasterDataGap extends GatewayError {
  override name = 'MasterDataGap';
  constructor(
    readonly gap: GapKind,
    message: string,
    /** What was looked for (shown in the timeline). */
    readonly lookedFor: Record<string, unknown> = {},
  ) {
    super('ODOO_MASTER_DATA_GAP', message, { gap, lookedFor });
  }
}

export function isMasterDataGap(error: unknown): error is MasterDataGap {
  return error instanceof Error && error.name === 'MasterDataGap';
}

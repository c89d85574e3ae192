// A master-data gap: what the posting looked for in Odoo and did not find, worded so a person
// knows what to create or map. The document waits in 'rejected' until they have, then a replay
// posts it (the target turns a gap into a business TargetError).

export type GapKind = 'partner' | 'address' | 'product' | 'unit' | 'purchase-order' | 'order-line' | 'order' | 'price' | 'state' | 'receipt';

export class MasterDataGap extends Error {
  override name = 'MasterDataGap';
  constructor(
    readonly gap: GapKind,
    message: string,
    /** What was looked for (shown in the timeline). */
    readonly lookedFor: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isMasterDataGap(error: unknown): error is MasterDataGap {
  return error instanceof Error && error.name === 'MasterDataGap';
}

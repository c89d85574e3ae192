// The product-mapping port of odooTarget over an in-memory lookup, answering as the gateway's
// mapping table does: only the codes that are mapped.
export function mappingsFrom(lookup: (theirCode: string, partner: string) => string | undefined) {
  return async (partner: string, theirCodes: readonly string[]): Promise<Map<string, string>> =>
    new Map(theirCodes.flatMap((code): [string, string][] => {
      const ours = lookup(code, partner);
      return ours === undefined ? [] : [[code, ours]];
    }));
}

/** No code is mapped. */
export const noMappings = mappingsFrom(() => undefined);

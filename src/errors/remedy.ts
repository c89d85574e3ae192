// What helps a rejected or failed document, in words a person acts on: whether a replay can help
// or only a corrected file from the partner can (docs/operations.md#what-helps). Derived from the
// catalog entry's scope and retry policy; an entry names its own `remedy` where that is wrong.
import { catalog } from './catalog.js';
import type { CatalogEntry, Remedy } from './types.js';

export type { Remedy } from './types.js';

export const REMEDY_TEXT: Readonly<Record<Remedy, string>> = {
  partner: 'only a corrected file from the partner helps: a replay would find the same problem. Ask them to fix it and send it again.',
  replay: 'fix what the reason names here (in Odoo, a product mapping, the partner file or the settings), then replay the document.',
  wait: 'the gateway retries on its own; replay only if it ended failed, once the cause is fixed.',
  none: 'nothing to do.',
};

/** The remedy of a catalog entry. */
export function remedyOfEntry(e: CatalogEntry): Remedy {
  if (e.remedy) return e.remedy;
  if (e.severity === 'warning') return 'none';
  if (e.retry === 'transient') return 'wait';
  if (e.retry !== undefined || e.scope === 'config') return 'replay';
  // A finding about what the partner sent: the same bytes give the same finding.
  return 'partner';
}

/** The remedy of a code, undefined for one the catalog does not hold. */
export function remedyOf(code: string): Remedy | undefined {
  const e = (catalog as Record<string, CatalogEntry>)[code];
  return e ? remedyOfEntry(e) : undefined;
}

/** The catalog's code at the end of a stored reason ("... [ODOO_MASTER_DATA_GAP]"), if any. */
export function codeInReason(reason: string | null | undefined): string | undefined {
  const m = reason ? /\[([A-Z][A-Z0-9_]+)\]\s*$/.exec(reason) : null;
  return m?.[1];
}

/** The catalog's fix for a code, undefined for one it does not hold. */
export function fixOf(code: string): string | undefined {
  return (catalog as Record<string, CatalogEntry>)[code]?.fix;
}

/**
 * What helps a document, from the code of its reason, else its first error finding: the strongest
 * need wins when they differ (a partner's fault before a fix here, before waiting).
 */
export function documentRemedy(reason: string | null, findingCodes: readonly string[]): Remedy | undefined {
  const codes = [codeInReason(reason), ...findingCodes].filter((c): c is string => c !== undefined);
  const found = codes.map(remedyOf).filter((r): r is Remedy => r !== undefined && r !== 'none');
  for (const r of ['partner', 'replay', 'wait'] as const) if (found.includes(r)) return r;
  return codes.length ? 'none' : undefined;
}

// A canonical document (src/documents) as tables a person reads, not JSON: its plain fields as a
// list of facts, each list of records (parties, lines, orders, packs) as a table whose columns are
// the records' fields, nested records flattened (productIds.buyerPart -> "Product IDs: buyer part")
// and nested lists as small tables inside their cell. Generic over the four document types, so a
// field added to a document shows without touching the console.
import { html, type Html } from './html.js';

const WORDS: Readonly<Record<string, string>> = {
  po: 'PO', id: 'ID', ids: 'IDs', upc: 'UPC', gtin: 'GTIN', ean: 'EAN', sku: 'SKU', sscc: 'SSCC', gln: 'GLN', duns: 'DUNS', scac: 'SCAC', uom: 'UoM', isa: 'ISA', gs: 'GS', st: 'ST',
};

/** "poNumber" -> "PO number", "productIds.buyerPart" -> "Product IDs: buyer part". */
export function humanize(key: string): string {
  return key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_]+/).map((w) => WORDS[w] ?? w).join(' '))
    .map((s, i) => (i === 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s))
    .join(': ');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A record's fields one level flat: scalars as they are, nested records as dotted keys, lists kept. */
function flatten(record: Record<string, Json>, prefix = ''): [string, Json][] {
  return Object.entries(record).flatMap(([k, v]): [string, Json][] => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isRecord(v)) return flatten(v, key);
    return [[key, v]];
  });
}

function cell(value: Json, depth: number): Html | string {
  if (isScalar(value)) return value === null ? '' : String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    if (value.every(isScalar)) return value.join(', ');
    return depth >= 3 ? `${value.length} entries` : recordsTable(value.filter(isRecord), depth + 1);
  }
  return '';
}

function recordsTable(records: Record<string, Json>[], depth: number): Html {
  const rows = records.map((r) => new Map(flatten(r)));
  const columns = [...new Set(rows.flatMap((r) => [...r.keys()]))].filter((c) => rows.some((r) => { const v = r.get(c); return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0); }));
  return html`<div class="scroll"><table>
<thead><tr>${columns.map((c) => html`<th>${humanize(c)}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map((c) => { const v = r.get(c); return html`<td${typeof v === 'number' ? html` class="num"` : ''}>${v === undefined ? '' : cell(v, depth)}</td>`; })}</tr>`)}</tbody>
</table></div>`;
}

export function canonicalTables(document: unknown): Html {
  if (!isRecord(document)) return html`<p class="muted">No canonical document yet.</p>`;
  const flat = flatten(document);
  const facts = flat.filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar) && v.length > 0));
  const lists = flat.filter(([, v]) => Array.isArray(v) && v.length > 0 && !v.every(isScalar)) as [string, Json[]][];
  return html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${humanize(k)}</dt><dd>${cell(v, 0)}</dd>`)}</dl>
${lists.map(([k, v]) => html`<h3>${humanize(k)} (${v.length})</h3>${recordsTable(v.filter(isRecord), 1)}`)}`;
}

// The console's part for a document rejected for a master-data gap, and the dry run's pages
// (docs/operations.md#fixing-a-master-data-gap, #dry-run). Server-rendered forms, no script.
import type { DryRunReport } from '../../jobs/dry-run.js';
import { GAP_FIX_KINDS, gapCodes, type GapFixKind } from '../../jobs/gaps.js';
import type { BulkProgress } from '../../jobs/document-actions.js';
import type { ProductChoice } from '../../odoo/lookup/product-search.js';
import type { AddressChoice, UnitChoice } from '../../odoo/lookup/gap-search.js';
import type { DocumentView } from '../views/documents.js';
import { html, query, type Html } from './html.js';
import { csrfField, type PageViewer } from './layout.js';

const canMap = (viewer: PageViewer | null) => viewer?.role === 'operator' || viewer?.role === 'admin';

/** Per gap kind: what the code is, what it is mapped to, what the search looks in (one form shape for every kind). */
export const GAP_WORDS: Record<GapFixKind, { code: string; odoo: string; search: string; none: string }> = {
  product: { code: 'product code', odoo: 'Odoo product', search: 'name, internal reference or barcode', none: 'Odoo knows no product for' },
  unit: { code: 'X12 unit', odoo: 'Odoo unit', search: 'name', none: 'Odoo has no unit for' },
  address: { code: 'ship-to GLN', odoo: 'Odoo address', search: 'name, reference or city', none: 'Odoo has no address with' },
};

/** The gaps the document's latest rejection names, of every kind a mapping fixes (none unless rejected at post for a gap). */
export function gapsOf(view: Pick<DocumentView, 'document' | 'timeline'>): Array<{ kind: GapFixKind; code: string }> {
  if (view.document.state !== 'rejected' || view.document.failedStage !== 'post') return [];
  const rejection = [...view.timeline].reverse().find((e) => e.toState === 'rejected');
  return GAP_FIX_KINDS.flatMap((kind) => gapCodes(kind, rejection?.details).map((code) => ({ kind, code })));
}

/** "Map <code> to an Odoo product / unit / address" for each gap of a rejected document; '' when it has none. */
export function gapSection(view: Pick<DocumentView, 'document' | 'timeline'>, viewer: PageViewer | null): Html | '' {
  const gaps = gapsOf(view);
  if (!gaps.length) return '';
  const id = view.document.id;
  const partner = view.document.partner;
  return html`<section class="box" id="gaps"><h2>Fix the master-data gap</h2>
    <p>${GAP_FIX_KINDS.filter((k) => gaps.some((g) => g.kind === k)).map((k) => html`${GAP_WORDS[k].none} ${gaps.filter((g) => g.kind === k).length === 1 ? `this ${GAP_WORDS[k].code}` : `these ${GAP_WORDS[k].code}s`} of ${partner}. `)}
    Map each to an Odoo record: every document of ${partner} waiting on the same code is replayed.</p>
    ${gaps.map(({ kind, code }) => canMap(viewer)
      ? html`<form method="get" action="/documents/${id}/gaps/${kind}" class="filters"><input type="hidden" name="code" value="${code}">
          <label>Map ${code} to an ${GAP_WORDS[kind].odoo}: search by ${GAP_WORDS[kind].search}<input type="search" name="q" required></label>
          <button type="submit">Search Odoo</button></form>`
      : html`<p>${GAP_WORDS[kind].code[0]!.toUpperCase()}${GAP_WORDS[kind].code.slice(1)} <strong>${code}</strong>: an operator can map it to an ${GAP_WORDS[kind].odoo} here.</p>`)}
  </section>`;
}

/** The button that leads to the dry run of a document's replay. */
export function dryRunLink(view: Pick<DocumentView, 'document'>): Html | '' {
  if (view.document.document === null || view.document.document === undefined) return '';
  return html`<form method="get" action="/documents/${view.document.id}/dry-run"><button type="submit" class="secondary">What would a replay do?</button></form>`;
}

/** One Odoo record a code can be mapped to: its cells, and the target a mapping stores (null: cannot be mapped to, with why). */
export interface GapChoice {
  cells: Array<string | Html>;
  target: string | null;
  /** How the mapping names it ('AC-2040', 'Units', 'Store 12 (id 7)'), or why it cannot be chosen. */
  label: string;
}

/** The table's headers and rows of a kind's search results. */
export function productChoices(found: ProductChoice[]): { headers: string[]; rows: GapChoice[] } {
  return {
    headers: ['Product', 'Internal reference', 'Barcode'],
    rows: found.map((p) => ({ cells: [p.name, p.defaultCode ?? html`<span class="muted">none</span>`, p.barcode ?? ''], target: p.defaultCode, label: p.defaultCode ?? 'give it an internal reference in Odoo to map to it' })),
  };
}

export function unitChoices(found: UnitChoice[]): { headers: string[]; rows: GapChoice[] } {
  return { headers: ['Unit'], rows: found.map((u) => ({ cells: [u.name], target: u.name, label: u.name })) };
}

export function addressChoices(found: AddressChoice[]): { headers: string[]; rows: GapChoice[] } {
  return {
    headers: ['Address', 'Company', 'Reference', 'Street', 'City'],
    rows: found.map((a) => ({ cells: [a.name, a.company, a.ref ?? '', a.street ?? '', a.city ?? ''], target: String(a.id), label: `${a.name} (id ${a.id})` })),
  };
}

/** The Odoo records found for a gap's code, each with a form that maps the code to it. */
export function choicesContent(input: { kind: GapFixKind; documentId: number; partner: string; code: string; q: string; found: { headers: string[]; rows: GapChoice[] } | string; viewer: PageViewer | null }): Html {
  const { kind, documentId, partner, code, q, found, viewer } = input;
  const words = GAP_WORDS[kind];
  const rows = typeof found === 'string'
    ? html`<p class="box problem">${found}</p>`
    : found.rows.length === 0
      ? html`<p>No ${words.odoo} has “${q}” in its ${words.search}.</p>`
      : html`<table><thead><tr>${found.headers.map((h) => html`<th>${h}</th>`)}<th></th></tr></thead><tbody>${found.rows.map((c) => html`<tr>
          ${c.cells.map((cell) => html`<td>${cell}</td>`)}
          <td>${c.target !== null
            ? html`<form method="post" action="/gaps/${kind}">${csrfField(viewer)}
                <input type="hidden" name="partner" value="${partner}"><input type="hidden" name="code" value="${code}">
                <input type="hidden" name="target" value="${c.target}"><input type="hidden" name="documentId" value="${documentId}">
                <input name="reason" placeholder="why (optional)"> <button type="submit">Map ${code} to ${c.label}</button></form>`
            : html`<span class="muted">${c.label}</span>`}</td></tr>`)}</tbody></table>`;
  return html`<h1>Map ${partner}'s ${words.code} ${code}</h1>
    <p><a href="/documents/${documentId}">Back to document ${documentId}</a></p>
    <form method="get" action="/documents/${documentId}/gaps/${kind}" class="filters"><input type="hidden" name="code" value="${code}">
      <label>Search ${words.odoo}s<input type="search" name="q" value="${q}" required></label><button type="submit">Search</button></form>
    ${rows}`;
}

/** What a gap fix did, and how its replays are going (reload for news). */
export function gapResultContent(input: { partner: string; code: string; target: string; progress: BulkProgress; documentId?: number | undefined }): Html {
  const { partner, code, target, progress: p, documentId } = input;
  return html`<h1>${partner}'s ${code} mapped to ${target}</h1>
    <p class="box">Mapped; ${p.total} waiting document${p.total === 1 ? '' : 's'} replayed, ${p.posted} posted so far${p.done ? '' : html` (${p.inFlight} still on their way: <a href="">reload</a>)`}${p.rejected ? html`, ${p.rejected} rejected again (another gap?)` : ''}${p.failed ? html`, ${p.failed} failed` : ''}.</p>
    ${p.skipped.length ? html`<p>Not replayed:</p><ul>${p.skipped.map((s) => html`<li>${s.reason}</li>`)}</ul>` : ''}
    ${documentId ? html`<p><a href="/documents/${documentId}">Back to document ${documentId}</a></p>` : ''}
    <p><a href="${`/documents${query({ state: 'rejected', partner })}`}">${partner}'s rejected documents</a></p>`;
}

/** A dry run's result as a page. */
export function dryRunContent(report: DryRunReport): Html {
  const headline = {
    'would-post': 'A replay would post it, making these changes in Odoo',
    'would-skip': 'A replay would change nothing in Odoo',
    'would-stop': 'A replay would stop',
    'not-possible': 'No posting to rehearse',
  }[report.outcome];
  return html`<h1>Dry run of document ${report.documentId}</h1>
    <p class="muted">Nothing was written: Odoo was only read, and this run left no trace on the document.</p>
    <div class="box${report.outcome === 'would-stop' ? ' problem' : ''}"><h2>${headline}</h2><ul>${report.lines.map((l) => html`<li>${l}</li>`)}</ul></div>
    <p><a href="/documents/${report.documentId}">Back to document ${report.documentId}</a></p>`;
}

// The console's part for a document rejected for a master-data gap, and the dry run's pages
// (docs/operations.md#fixing-a-master-data-gap, #dry-run). Server-rendered forms, no script.
import type { DryRunReport } from '../../jobs/dry-run.js';
import { productGapCodes } from '../../jobs/gaps.js';
import type { BulkProgress } from '../../jobs/document-actions.js';
import type { ProductChoice } from '../../odoo/lookup/product-search.js';
import type { DocumentView } from '../views/documents.js';
import { html, query, type Html } from './html.js';
import type { PageViewer } from './layout.js';

const canMap = (viewer: PageViewer | null) => viewer?.role === 'operator' || viewer?.role === 'admin';

/** The product codes the document's latest rejection says Odoo did not know (none unless rejected at post for a gap). */
export function productGapsOf(view: Pick<DocumentView, 'document' | 'timeline'>): string[] {
  if (view.document.state !== 'rejected' || view.document.failedStage !== 'post') return [];
  const rejection = [...view.timeline].reverse().find((e) => e.toState === 'rejected');
  return productGapCodes(rejection?.details);
}

/** "Map <code> to an Odoo product" for each unknown product code of a rejected document; '' when it has none. */
export function gapSection(view: Pick<DocumentView, 'document' | 'timeline'>, viewer: PageViewer | null): Html | '' {
  const codes = productGapsOf(view);
  if (!codes.length) return '';
  const id = view.document.id;
  return html`<section class="box" id="gaps"><h2>Fix the master-data gap</h2>
    <p>Odoo knows no product for ${codes.length === 1 ? 'this code' : 'these codes'} of ${view.document.partner}. Map each to an Odoo product (by its internal reference):
    every document of ${view.document.partner} waiting on the same code is replayed.</p>
    ${codes.map((code) => canMap(viewer)
      ? html`<form method="get" action="/documents/${id}/gaps/product" class="filters"><input type="hidden" name="code" value="${code}">
          <label>Map ${code} to an Odoo product: search by name, internal reference or barcode<input type="search" name="q" required></label>
          <button type="submit">Search Odoo</button></form>`
      : html`<p>Product code <strong>${code}</strong>: an operator can map it to an Odoo product here.</p>`)}
  </section>`;
}

/** The button that leads to the dry run of a document's replay. */
export function dryRunLink(view: Pick<DocumentView, 'document'>): Html | '' {
  if (view.document.document === null || view.document.document === undefined) return '';
  return html`<form method="get" action="/documents/${view.document.id}/dry-run"><button type="submit" class="secondary">What would a replay do?</button></form>`;
}

/** The products found for a code, each with a form that maps the code to it. */
export function productChoicesContent(input: { documentId: number; partner: string; code: string; q: string; found: ProductChoice[] | string; viewer: PageViewer | null }): Html {
  const { documentId, partner, code, q, found, viewer } = input;
  const rows = typeof found === 'string'
    ? html`<p class="box problem">${found}</p>`
    : found.length === 0
      ? html`<p>No Odoo product has “${q}” in its name, internal reference or barcode.</p>`
      : html`<table><thead><tr><th>Product</th><th>Internal reference</th><th>Barcode</th><th></th></tr></thead><tbody>${found.map((p) => html`<tr>
          <td>${p.name}</td><td>${p.defaultCode ?? html`<span class="muted">none</span>`}</td><td>${p.barcode ?? ''}</td>
          <td>${p.defaultCode
            ? html`<form method="post" action="/gaps/product"><input type="hidden" name="_csrf" value="${viewer?.csrfToken ?? ''}">
                <input type="hidden" name="partner" value="${partner}"><input type="hidden" name="code" value="${code}">
                <input type="hidden" name="internalReference" value="${p.defaultCode}"><input type="hidden" name="documentId" value="${documentId}">
                <input name="reason" placeholder="why (optional)"> <button type="submit">Map ${code} to ${p.defaultCode}</button></form>`
            : html`<span class="muted">give it an internal reference in Odoo to map to it</span>`}</td></tr>`)}</tbody></table>`;
  return html`<h1>Map ${partner}'s product code ${code}</h1>
    <p><a href="/documents/${documentId}">Back to document ${documentId}</a></p>
    <form method="get" action="/documents/${documentId}/gaps/product" class="filters"><input type="hidden" name="code" value="${code}">
      <label>Search Odoo products<input type="search" name="q" value="${q}" required></label><button type="submit">Search</button></form>
    ${rows}`;
}

/** What a gap fix did, and how its replays are going (reload for news). */
export function gapResultContent(input: { partner: string; code: string; internalReference: string; progress: BulkProgress; documentId?: number | undefined }): Html {
  const { partner, code, internalReference, progress: p, documentId } = input;
  return html`<h1>${partner}'s ${code} mapped to ${internalReference}</h1>
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

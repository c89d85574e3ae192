// The documents list: filters (state, partner, set) and a search by what a person quotes, newest
// first, paged by keyset (an "older" link carries the cursor), as `edi docs list`.
import type { FilterText } from '../../jobs/document-actions.js';
import { DOCUMENT_STATES, type DocumentPage } from '../../store/index.js';
import { html, query, type Html } from './html.js';
import { stateLabel, when } from './layout.js';

/** The filter as typed in the form (the same fields as GET /api/documents and a bulk replay). */
export type DocumentsFilter = FilterText;

export function documentsContent(filter: DocumentsFilter, page: DocumentPage, partners: readonly string[]): Html {
  const select = (name: string, options: readonly string[], current: string | undefined, any: string) =>
    html`<select name="${name}"><option value="">${any}</option>${options.map((o) => html`<option${o === current ? html` selected` : ''}>${o}</option>`)}</select>`;
  return html`<h1>Documents</h1>
<form class="filters" method="get" action="/documents">
  <label>Search<input type="search" name="search" value="${filter.search ?? ''}" placeholder="PO number, invoice, shipment, file name"></label>
  <label>State${select('state', DOCUMENT_STATES, filter.state, 'any state')}</label>
  <label>Partner${select('partner', partners, filter.partner, 'any partner')}</label>
  <label>Set${select('set', ['850', '855', '856', '810', '997', '999'], filter.set, 'any set')}</label>
  <label>Received from<input type="date" name="from" value="${filter.from ?? ''}"></label>
  <label>to<input type="date" name="to" value="${filter.to ?? ''}"></label>
  <button type="submit">Show</button>
</form>
${page.items.length === 0 ? html`<p class="muted">No documents match.</p>` : html`<div class="scroll"><table>
<thead><tr><th class="num">ID</th><th>Partner</th><th>Set</th><th>Number</th><th>State</th><th>Reason or Odoo record</th><th>Updated</th></tr></thead>
<tbody>${page.items.map((d) => html`<tr>
  <td class="num"><a href="/documents/${d.id}">${d.id}</a></td><td>${d.partner}</td><td>${d.setId}</td>
  <td>${d.number ?? ''}${d.poNumber && d.poNumber !== d.number ? html` <span class="muted">PO ${d.poNumber}</span>` : ''}</td>
  <td>${stateLabel(d.state)}${d.failedStage ? html` <span class="muted">in ${d.failedStage}</span>` : ''}</td>
  <td>${d.reason ?? d.targetRef ?? ''}</td><td>${when(d.updatedAt)}</td>
</tr>`)}</tbody></table></div>`}
${page.next !== null ? html`<p><a href="/documents${query({ ...filter, before: page.next })}">Older documents →</a></p>` : ''}`;
}

// The documents we send: the list, and one with its state, timeline, deliveries and the X12 sent;
// an operator or admin gets the resend and regenerate forms.
import { atLeast } from '../../auth/roles.js';
import { OUTBOUND_DOCUMENT_STATES, type OutboundDocumentRecord } from '../../store/index.js';
import type { OutboundDocumentView } from '../views/outbound.js';
import { timelineTable } from './document-page.js';
import { html, type Html } from './html.js';
import { csrfField, stateLabel, when, type PageViewer } from './layout.js';

export function sentListContent(list: readonly OutboundDocumentRecord[], state: string | undefined): Html {
  return html`<h1>Sent</h1>
<form class="filters" method="get" action="/sent">
  <label>State<select name="state"><option value="">any state</option>${OUTBOUND_DOCUMENT_STATES.map((s) => html`<option${s === state ? html` selected` : ''}>${s}</option>`)}</select></label>
  <button type="submit">Show</button>
</form>
${list.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Partner</th><th>Set</th><th>Odoo record</th><th>State</th><th>ISA13</th><th>Reason</th><th>Updated</th></tr></thead><tbody>
${list.map((d) => html`<tr><td class="num"><a href="/sent/${d.id}">${d.id}</a></td><td>${d.partner}</td><td>${d.setId}</td><td>${d.sourceModel} ${d.sourceName ?? d.sourceId}</td><td>${stateLabel(d.state)}</td><td>${d.interchangeControl ?? ''}</td><td>${d.reason ?? ''}</td><td>${when(d.updatedAt)}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">Nothing sent yet.</p>`}`;
}

export function sentContent(view: OutboundDocumentView, viewer: PageViewer | null, done: string | undefined): Html {
  const d = view.document;
  const operator = viewer !== null && atLeast(viewer.role as Parameters<typeof atLeast>[0], 'operator');
  const form = (action: 'resend' | 'regenerate', label: string) => html`<form method="post" action="/sent/${d.id}/${action}" class="filters">
  ${csrfField(viewer)}
  <label>Why<input name="reason" placeholder="the partner lost it"></label><button type="submit">${label}</button></form>`;
  return html`<h1>${d.setId} to ${d.partner} ${stateLabel(d.state)}</h1>
${done ? html`<section class="box" role="status"><p>${done}</p></section>` : ''}
<dl class="facts">
  <dt>From Odoo</dt><dd>${d.sourceModel} ${d.sourceName ?? d.sourceId}${d.sourceVersion ? `, written ${d.sourceVersion}` : ''}</dd>
  <dt>Generation</dt><dd>${d.generation}</dd>
  ${d.controlNumber ? html`<dt>Control numbers</dt><dd>ISA13 ${d.interchangeControl}, GS06 ${d.groupControl}, ST02 ${d.controlNumber}</dd>` : ''}
  <dt>Dates</dt><dd>built ${when(d.createdAt)}${d.sentAt ? `, sent ${when(d.sentAt)}` : ''}${d.ackDueAt ? `, acknowledgment due ${when(d.ackDueAt)}` : ''}${d.acknowledgedAt ? `, acknowledged ${when(d.acknowledgedAt)}` : ''}</dd>
</dl>
${d.reason ? html`<section class="box problem" aria-label="What is wrong"><p><strong>${d.state === 'held' ? 'Held' : 'Why'}:</strong> ${d.reason}</p></section>` : ''}
${operator ? html`<h2>Actions</h2>${form('resend', 'Resend the same bytes')}${form('regenerate', 'Regenerate with new numbers')}` : ''}
<h2>Deliveries (${view.deliveries.length})</h2>
${view.deliveries.length ? html`<div class="scroll"><table><thead><tr><th class="num">Entry</th><th>What</th><th>State</th><th class="num">Tries</th><th>Sent</th><th>Where or why not</th></tr></thead><tbody>
${view.deliveries.map((x) => html`<tr><td class="num">${x.id}</td><td>${x.resend ? 'resend' : 'built'}</td><td>${stateLabel(x.state)}</td><td class="num">${x.attempts}</td><td>${when(x.sentAt)}</td><td>${x.remotePath ?? x.reason ?? ''}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">None: nothing was built.</p>`}
<h2>X12 sent</h2>
${view.x12 ? html`<pre class="x12 box" style="overflow-x:auto">${view.x12}</pre>` : html`<p class="muted">None yet.</p>`}
<h2>Timeline</h2>
${timelineTable(view.timeline)}`;
}

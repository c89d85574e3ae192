// One received document: what it is, what is wrong and what helps (in plain words, first), the raw
// X12 with the segment and element in error highlighted, the canonical document as tables, the
// timeline.
import { numbersText, type DocumentView } from '../views/documents.js';
import { canonicalTables } from './canonical-view.js';
import { html, type Html } from './html.js';
import { gapSection, dryRunLink } from './gap-page.js';
import { stateLabel, when, type PageViewer } from './layout.js';
import { x12Table } from './x12-view.js';

const SET_NAMES: Readonly<Record<string, string>> = { '850': 'purchase order', '855': 'order acknowledgment', '856': 'ship notice', '810': 'invoice', '997': 'functional acknowledgment', '999': 'implementation acknowledgment' };

export function documentTitle(view: DocumentView): string {
  const d = view.document;
  return `${d.setId} ${SET_NAMES[d.setId] ?? ''} ${d.number ?? `#${d.id}`}`.replace(/\s+/g, ' ');
}

export function documentContent(view: DocumentView, links: { odoo?: string | undefined; actions?: Html; viewer?: PageViewer | null }): Html {
  const { document: d, remedy, findings, timeline, segments } = view;
  const errors = findings.filter((f) => f.severity === 'error');
  return html`<h1>${documentTitle(view)} ${stateLabel(d.state)}</h1>
<dl class="facts">
  <dt>Partner</dt><dd>${d.partner}</dd>
  ${numbersText(d) ? html`<dt>Numbers</dt><dd>${numbersText(d)}</dd>` : ''}
  <dt>File</dt><dd><a href="/files/${d.fileId}">${d.sourceName}</a> (file ${d.fileId})</dd>
  <dt>Envelope</dt><dd>${d.senderQualifier}:${d.senderId} → ${d.receiverQualifier}:${d.receiverId}, ISA13 ${d.interchangeControl}, GS06 ${d.groupControl}, ST02 ${d.controlNumber}, version ${d.version}</dd>
  <dt>Received</dt><dd>${when(d.createdAt)}; updated ${when(d.updatedAt)}</dd>
  ${d.targetRef ? html`<dt>In Odoo</dt><dd>${links.odoo ? html`<a href="${links.odoo}" rel="noreferrer">${d.targetRef}</a>` : d.targetRef}</dd>` : ''}
</dl>
${d.reason || remedy ? html`<section class="box problem" aria-label="What is wrong">
  ${d.reason ? html`<p><strong>What is wrong:</strong> ${d.reason}</p>` : ''}
  ${remedy ? html`<p><strong>What helps:</strong> ${remedy.text}</p>` : ''}
  ${errors.length ? html`<ul>${errors.map((f) => html`<li>${f.location?.segmentPosition !== undefined ? html`<a href="#seg-${f.location.segmentPosition}">segment ${f.location.segmentPosition}</a>: ` : ''}${f.message ?? f.code}${f.fix ? html`<br><span class="muted">How to fix: ${f.fix}</span>` : ''}</li>`)}</ul>` : ''}
</section>` : ''}
${links.actions ?? ''}
${gapSection(view, links.viewer ?? null)}
${dryRunLink(view)}
<h2>Acknowledgment we sent</h2>
${view.acknowledgment ? html`<p>${view.acknowledgment.kind} ${stateLabel(view.acknowledgment.state)} ${view.acknowledgment.sentAt ? `sent ${when(view.acknowledgment.sentAt)}` : `queued ${when(view.acknowledgment.createdAt)}`}${view.acknowledgment.reason ? ` (${view.acknowledgment.reason})` : ''}</p>` : html`<p class="muted">None for this interchange (the partner's settings ask for none, or it is not queued yet).</p>`}
${view.thread.length > 1 ? html`<h2>This order's documents (PO ${d.poNumber})</h2>${threadTable(view.thread, d.id)}` : ''}
<h2>Raw X12 (${segments.length} segments)</h2>
${x12Table(segments, d.version, findings)}
<h2>Document</h2>
${canonicalTables(d.document)}
<h2>Timeline</h2>
${timelineTable(view.timeline)}`;
}

/** The order's documents, received (→ us) and sent (← us), in time order; this one marked. */
function threadTable(thread: DocumentView['thread'], current: number): Html {
  return html`<div class="scroll"><table><thead><tr><th>When</th><th>Way</th><th>Set</th><th>Partner</th><th>Number or record</th><th>State</th><th>Our acknowledgment</th></tr></thead>
<tbody>${thread.map((t) => html`<tr${t.direction === 'in' && t.id === current ? html` aria-current="true" style="font-weight:600"` : ''}>
  <td>${when(t.createdAt)}</td><td>${t.direction === 'in' ? 'received' : 'sent'}</td>
  <td>${t.direction === 'in' ? html`<a href="/documents/${t.id}">${t.setId} ${SET_NAMES[t.setId] ?? ''}</a>` : `${t.setId} ${SET_NAMES[t.setId] ?? ''}`}</td>
  <td>${t.partner}</td><td>${t.label ?? ''}</td><td>${stateLabel(t.state)}</td>
  <td>${t.ack ? html`${t.ack.kind} ${stateLabel(t.ack.state)}` : ''}</td>
</tr>`)}</tbody></table></div>`;
}

export function timelineTable(timeline: DocumentView['timeline']): Html {
  return html`<div class="scroll"><table><thead><tr><th>When</th><th>Stage</th><th>Who</th><th>State</th><th>What happened</th></tr></thead>
<tbody>${timeline.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.stage}</td><td>${e.actor}</td><td>${e.fromState ? `${e.fromState} → ` : ''}${e.toState ?? ''}</td><td>${e.message}</td></tr>`)}</tbody></table></div>`;
}

// One received file: its reason and what helps when it was rejected as a whole, the interchanges
// read from it with their envelope findings, its documents, its timeline.
import type { Finding } from '../../errors/finding.js';
import type { FileView } from '../views/documents.js';
import { timelineTable } from './document-page.js';
import { html, type Html } from './html.js';
import type { FileRecord } from '../../store/index.js';
import { stateLabel, when } from './layout.js';

export function fileContent(view: FileView): Html {
  const { file, remedy, receipts, interchanges, documents } = view;
  return html`<h1>File ${file.sourceName} ${stateLabel(file.state)}</h1>
<dl class="facts">
  <dt>Partner</dt><dd>${file.partner} (${file.channel})</dd>
  <dt>Size</dt><dd>${file.size} bytes</dd>
  <dt>Received</dt><dd>${when(file.receivedAt)}${receipts.length > 1 ? `, and ${receipts.length - 1} more time(s) with the same bytes (not processed again)` : ''}</dd>
  <dt>SHA-256</dt><dd class="x12">${file.sha256}</dd>
</dl>
${file.reason ? html`<section class="box problem" aria-label="What is wrong">
  <p><strong>What is wrong:</strong> ${file.reason}</p>
  ${remedy?.fix ? html`<p><strong>How to fix:</strong> ${remedy.fix}</p>` : ''}
  ${remedy ? html`<p><strong>What helps:</strong> ${remedy.text}</p>` : ''}
</section>` : ''}
<h2>Interchanges (${interchanges.length})</h2>
${interchanges.length ? html`<div class="scroll"><table><thead><tr><th>ISA13</th><th>From → to</th><th>State</th><th>Findings</th></tr></thead><tbody>
${interchanges.map((ic) => html`<tr><td>${ic.controlNumber}</td><td>${ic.senderQualifier}:${ic.senderId} → ${ic.receiverQualifier}:${ic.receiverId}</td><td>${stateLabel(ic.state)}</td>
<td>${(ic.findings as Finding[]).map((f) => html`<div>${f.code}: ${f.message}</div>`)}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">None could be read from this file.</p>`}
<h2>Transaction sets (${documents.length}), by interchange and group</h2>
${documents.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Interchange</th><th>Group (GS06)</th><th>Set</th><th>ST02</th><th>Number</th><th>State</th><th>Reason or Odoo record</th></tr></thead><tbody>
${documents.map((d) => html`<tr><td class="num"><a href="/documents/${d.id}">${d.id}</a></td><td>${interchanges.find((ic) => ic.id === d.interchangeId)?.controlNumber ?? ''}</td><td>${d.groupControl} (${d.version})</td><td>${d.setId}</td><td>${d.controlNumber}</td><td>${d.number ?? ''}</td><td>${stateLabel(d.state)}</td><td>${d.reason ?? d.targetRef ?? ''}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">None: nothing in this file could be read as a transaction set.</p>`}
<h2>Timeline</h2>
${timelineTable(view.timeline)}`;
}

/** The files list: newest first, by state, as `edi files list`. */
export function filesContent(files: readonly FileRecord[], state: string | undefined): Html {
  return html`<h1>Files</h1>
<form class="filters" method="get" action="/files">
  <label>State<select name="state"><option value="">any state</option>${['received', 'split', 'rejected', 'failed'].map((s) => html`<option${s === state ? html` selected` : ''}>${s}</option>`)}</select></label>
  <button type="submit">Show</button>
</form>
${files.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Partner</th><th>Name</th><th class="num">Bytes</th><th>State</th><th>Received</th><th>Reason</th></tr></thead><tbody>
${files.map((f) => html`<tr><td class="num"><a href="/files/${f.id}">${f.id}</a></td><td>${f.partner}</td><td>${f.sourceName}</td><td class="num">${f.size}</td><td>${stateLabel(f.state)}</td><td>${when(f.receivedAt)}</td><td>${f.reason ?? ''}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">No files.</p>`}`;
}

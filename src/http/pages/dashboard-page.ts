// The dashboard: what flowed today and in the last 7 days by partner, what waits for a person
// (longest first), partner health, acknowledgments overdue, failed deliveries.
import type { Dashboard, PartnerHealthRecord } from '../../store/index.js';
import { html, query, type Html } from './html.js';
import { stateLabel, when } from './layout.js';

export function dashboardContent(d: Dashboard, health: readonly PartnerHealthRecord[]): Html {
  const partners = [...new Set(d.counts.map((c) => c.partner))];
  const states = [...new Set(d.counts.map((c) => c.state))].sort();
  const count = (partner: string, state: string, key: 'today' | 'week') => d.counts.find((c) => c.partner === partner && c.state === state)?.[key] ?? 0;
  return html`<h1>Dashboard</h1>
<section class="box${d.waitingTotal ? ' problem' : ''}">
  <h2 style="margin-top:0">Waiting for a person: ${d.waitingTotal}</h2>
  ${d.waiting.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Partner</th><th>Set</th><th>Number</th><th>State</th><th>Reason</th><th>Since</th></tr></thead><tbody>
  ${d.waiting.map((w) => html`<tr><td class="num"><a href="/documents/${w.id}">${w.id}</a></td><td>${w.partner}</td><td>${w.setId}</td><td>${w.number ?? ''}</td><td>${stateLabel(w.state)}</td><td>${w.reason ?? ''}</td><td>${when(w.updatedAt)}</td></tr>`)}
  </tbody></table></div>${d.waitingTotal > d.waiting.length ? html`<p><a href="/documents${query({ state: 'rejected' })}">All rejected documents</a> · <a href="/documents${query({ state: 'failed' })}">all failed</a></p>` : ''}` : html`<p class="muted">Nothing: every document went through.</p>`}
</section>
<h2>Documents received, by partner (today / last 7 days)</h2>
${partners.length ? html`<div class="scroll"><table><thead><tr><th>Partner</th>${states.map((s) => html`<th class="num">${s}</th>`)}</tr></thead><tbody>
${partners.map((p) => html`<tr><td><a href="/documents${query({ partner: p })}">${p}</a></td>${states.map((s) => html`<td class="num"><a href="/documents${query({ partner: p, state: s })}">${count(p, s, 'today')} / ${count(p, s, 'week')}</a></td>`)}</tr>`)}
</tbody></table></div>` : html`<p class="muted">No documents in the last 7 days.</p>`}
<h2>Partner health</h2>
${health.length ? html`<div class="scroll"><table><thead><tr><th>Partner</th><th>Transport</th><th>Last success</th><th>Last error</th><th class="num">Failures in a row</th></tr></thead><tbody>
${health.map((h) => html`<tr><td>${h.partner}</td><td>${h.transport}</td><td>${when(h.lastSuccess)}</td><td>${h.lastError ? html`${when(h.lastErrorAt)}: ${h.lastError}` : ''}</td><td class="num">${h.consecutiveFailures}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">No poll or delivery recorded yet.</p>`}
<h2>Acknowledgments overdue</h2>
${d.overdue.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Partner</th><th>Set</th><th>Odoo record</th><th>Due</th></tr></thead><tbody>
${d.overdue.map((o) => html`<tr><td class="num">${o.id}</td><td>${o.partner}</td><td>${o.setId}</td><td>${o.sourceModel} ${o.sourceName ?? ''}</td><td>${when(o.ackDueAt)}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">None.</p>`}
${d.as2MdnsOverdue ? html`<p class="box problem">AS2 MDNs overdue: <a href="/as2-messages${query({ state: 'mdn-overdue' })}">${d.as2MdnsOverdue}</a> message(s) we sent have no MDN in time (docs/as2.md).</p>` : ''}
<h2>Failed deliveries</h2>
${d.failedDeliveries.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>Partner</th><th>What</th><th>Reason</th><th>Queued</th></tr></thead><tbody>
${d.failedDeliveries.map((f) => html`<tr><td class="num">${f.id}</td><td>${f.partner}</td><td>${f.kind}</td><td>${f.reason ?? ''}</td><td>${when(f.createdAt)}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">None.</p>`}`;
}

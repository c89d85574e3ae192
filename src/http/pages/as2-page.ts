// The AS2 messages both ways: the list (newest first, by partner, direction, state) and one message
// with its headers, MIC and MDN. The bytes themselves are downloads of the CLI (edi as2 show --raw/--mdn).
import { AS2_STATES } from '../../store/as2-repo.js';
import { as2Link, type As2MessageDetail, type As2MessageSummary } from '../views/as2.js';
import { html, query, type Html } from './html.js';
import { stateLabel, when } from './layout.js';

export interface As2PageFilter {
  partner?: string;
  direction?: string;
  state?: string;
}

function link(m: As2MessageSummary): Html | string {
  const l = as2Link(m);
  if (!l) return '';
  return l.path ? html`<a href="${l.path}">${l.label}</a>` : l.label;
}

/** What the MDN is: the mode, the state of one we owe, its disposition. */
function mdnText(m: As2MessageSummary): string {
  if (m.mdnMode === 'none') return 'none asked';
  return [m.mdnMode, m.mdnState, m.mdnDisposition].filter(Boolean).join(', ');
}

export function as2ListContent(list: readonly As2MessageSummary[], filter: As2PageFilter, partners: readonly string[]): Html {
  const option = (value: string, current: string | undefined, label = value) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<h1>AS2 messages${filter.partner ? ` of ${filter.partner}` : ''}</h1>
<form class="filters" method="get" action="/as2-messages">
  <label>Partner<select name="partner">${option('', filter.partner, 'any partner')}${partners.map((p) => option(p, filter.partner))}</select></label>
  <label>Direction<select name="direction">${option('', filter.direction, 'both ways')}${option('in', filter.direction, 'received')}${option('out', filter.direction, 'sent')}</select></label>
  <label>State<select name="state">${option('', filter.state, 'any state')}${AS2_STATES.map((s) => option(s, filter.state))}</select></label>
  <button type="submit">Show</button>
</form>
${list.length ? html`<div class="scroll"><table><thead><tr><th class="num">ID</th><th>When</th><th>Way</th><th>Partner</th><th>Message-ID</th><th>State</th><th>MDN</th><th>Carries</th><th>Reason</th></tr></thead><tbody>
${list.map((m) => html`<tr><td class="num"><a href="/as2-messages/${m.id}">${m.id}</a></td><td>${when(m.createdAt)}</td><td>${m.direction === 'in' ? 'received' : 'sent'}</td><td>${m.partner ?? html`<span class="muted">unknown: ${m.from}</span>`}</td><td>${m.messageId}</td><td>${stateLabel(m.state)}</td><td>${mdnText(m)}</td><td>${link(m)}</td><td>${m.reason ?? ''}</td></tr>`)}
</tbody></table></div>` : html`<p class="muted">No AS2 message${filter.partner || filter.direction || filter.state ? ' matches' : ' yet'}.</p>`}`;
}

export function as2MessageContent(m: As2MessageDetail): Html {
  const carried = link(m);
  return html`<h1>AS2 message ${m.id} ${m.direction === 'in' ? 'from' : 'to'} ${m.partner ?? m.from} ${stateLabel(m.state)}</h1>
<dl class="facts">
  <dt>Message-ID</dt><dd>${m.messageId}</dd>
  <dt>AS2-From / AS2-To</dt><dd>${m.from} / ${m.to}</dd>
  <dt>Dates</dt><dd>${m.direction === 'in' ? 'received' : 'first sent'} ${when(m.createdAt)}, updated ${when(m.updatedAt)}${m.mdnDueAt ? `, MDN due ${when(m.mdnDueAt)}` : ''}</dd>
  <dt>Carries</dt><dd>${carried || html`<span class="muted">nothing taken in</span>`}</dd>
  <dt>Body</dt><dd>${m.bodyBytes === null ? 'not kept' : `${m.bodyBytes} bytes`} <span class="muted">(edi as2 show ${m.id} --raw)</span></dd>
  ${m.mic ? html`<dt>MIC</dt><dd>${m.mic.value}, ${m.mic.algorithm}</dd>` : ''}
  <dt>MDN</dt><dd>${mdnText(m)}${m.mdnUrl ? ` to ${m.mdnUrl}` : ''}${m.mdnAttempts ? `, ${m.mdnAttempts} tries` : ''}${m.mdnNextAt ? `, next ${when(m.mdnNextAt)}` : ''}</dd>
  ${m.mdn ? html`<dt>MDN kept</dt><dd>${m.mdn.contentType}, ${m.mdn.bytes} bytes <span class="muted">(edi as2 show ${m.id} --mdn)</span></dd>` : ''}
</dl>
${m.reason ? html`<section class="box problem" aria-label="What is wrong"><p><strong>Why:</strong> ${m.reason}</p></section>` : ''}
<h2>Headers</h2>
<div class="scroll"><table><thead><tr><th>Header</th><th>Value</th></tr></thead><tbody>
${Object.entries(m.headers).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}
</tbody></table></div>
<p><a href="/as2-messages${query({ partner: m.partner })}">All AS2 messages${m.partner ? ` of ${m.partner}` : ''}</a></p>`;
}

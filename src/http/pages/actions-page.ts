// The console's actions on received documents, as plain forms (no script): the buttons on a
// document's page, the bulk replay form on a filtered documents list, a bulk replay's progress page
// (it refreshes itself until every document settled), and the page that says why an action was
// refused. Only an operator or admin sees a form; every form carries the session's CSRF token.
import type { BulkCount, BulkProgress } from '../../jobs/document-actions.js';
import type { DocumentView } from '../views/documents.js';
import { html, query, type Html } from './html.js';
import { csrfField, when, type PageViewer } from './layout.js';

const ACTING_ROLES = new Set(['operator', 'admin']);

/** Whether the viewer may act (the routes check again: this only hides what they would refuse). */
export function mayAct(viewer: PageViewer | null): viewer is PageViewer {
  return Boolean(viewer && ACTING_ROLES.has(viewer.role));
}



/** What the last action on this page did (after its redirect): a fixed sentence, never text from the URL. */
const DONE: Readonly<Record<string, string>> = {
  replay: 'Replayed: the document went back to the stage that failed. Its state below changes as the gateway works on it.',
  cancel: 'Cancelled: the document stays here, with your reason on its timeline.',
};

export function documentActionsSection(view: DocumentView, viewer: PageViewer | null, done: string | undefined): Html {
  const d = view.document;
  const notice = done && DONE[done] ? html`<p class="box" role="status">${DONE[done]}</p>` : '';
  const downloads = html`<p><a href="/documents/${d.id}/raw">Download raw X12</a> · <a href="/files/${d.fileId}/raw">Download the file as received</a>${view.acknowledgment ? html` · <a href="/documents/${d.id}/acknowledgment">Download the ${view.acknowledgment.kind} we sent</a>` : ''}</p>`;
  const actionable = d.state === 'rejected' || d.state === 'failed';
  const forms = mayAct(viewer) && actionable
    ? html`<form method="post" action="/documents/${d.id}/replay" class="filters">${csrfField(viewer)}
  <label>Why (optional)<input name="reason" maxlength="500"></label><button type="submit">Replay</button></form>
<form method="post" action="/documents/${d.id}/cancel" class="filters">${csrfField(viewer)}
  <label>Why (required)<input name="reason" required maxlength="500"></label><button type="submit" class="secondary">Cancel this document</button></form>`
    : '';
  return html`<section aria-label="Actions">${notice}${forms}${downloads}</section>`;
}

/** Under a documents list filtered to rejected or failed documents: replay them all. */
export function bulkReplayForm(viewer: PageViewer, filter: Readonly<Record<string, string | undefined>>, count: BulkCount): Html {
  if ('refused' in count || count.count === 0) return html``;
  const n = count.more ? `more than ${count.count}` : String(count.count);
  const hidden = Object.entries(filter).filter(([, v]) => v).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form method="post" action="/replays" class="filters box" aria-label="Bulk replay">${csrfField(viewer)}${hidden}
  <label>Why (optional)<input name="reason" maxlength="500"></label>
  <button type="submit"${count.more ? html` disabled` : ''}>Replay these ${n} documents</button>
  ${count.more ? html`<span class="muted">Too many at once: narrow the filter.</span>` : ''}
</form>`;
}

export function bulkProgressContent(p: BulkProgress): Html {
  const settled = p.total - p.inFlight;
  return html`<h1>Bulk replay ${p.id}</h1>
<p>Started ${when(p.createdAt)} by ${p.actor}${p.reason ? `: ${p.reason}` : ''}. Filter: <code>${JSON.stringify(p.filter)}</code></p>
<p><progress max="${p.total}" value="${settled}">${settled} of ${p.total}</progress> ${settled} of ${p.total} settled${p.done ? ' — done' : ' (this page refreshes every 2 seconds)'}</p>
<dl class="facts">
  <dt>Posted</dt><dd><a href="/documents${query({ state: 'posted' })}">${p.posted}</a></dd>
  <dt>Rejected again</dt><dd>${p.rejected}</dd>
  <dt>Failed again</dt><dd>${p.failed}</dd>
  <dt>Still in flight</dt><dd>${p.inFlight}</dd>
  ${p.other ? html`<dt>Otherwise (duplicate, cancelled)</dt><dd>${p.other}</dd>` : ''}
  ${p.skipped.length ? html`<dt>Not replayed</dt><dd>${p.skipped.length}<ul>${p.skipped.slice(0, 20).map((s) => html`<li>${s.reason}</li>`)}</ul></dd>` : ''}
</dl>
${p.rejected + p.failed ? html`<p><a href="/documents?state=rejected">Rejected documents</a> · <a href="/documents?state=failed">Failed documents</a></p>` : ''}`;
}

/** The refresh tag of a progress page still running (a <meta> in the content works in every browser). */
export function refreshEvery(seconds: number): Html {
  return html`<meta http-equiv="refresh" content="${seconds}">`;
}

export function refusedContent(what: string, why: string, back: string): Html {
  return html`<h1>${what}</h1><p class="box problem">${why}</p><p><a href="${back}">Back</a></p>`;
}

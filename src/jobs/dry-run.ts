// What a replay would do in the target, without doing it (docs/operations.md#dry-run): the document's
// posting runs against a recording client (src/odoo/dry-run.ts) that reads for real and records
// every change, and the changes come back as sentences. Nothing is written, neither in the target
// nor in the gateway's database (no event, no state change), so a viewer may run it.
import { isGatewayError, messageOf } from '../errors/failure.js';
import type { PlannedChange, PostingRehearsal } from '../odoo/dry-run.js';
import { getDocument, type Conn } from '../store/index.js';
import type { DocumentState } from '../store/types.js';
import { naturalKeyOf } from './post.js';
import type { PostRequest } from './ports.js';

/** Runs a document's posting against a recording client; undefined when no target is configured (no ODOO_URL). */
export type Rehearse = (req: PostRequest) => Promise<PostingRehearsal>;

export interface DryRunReport {
  documentId: number;
  state: DocumentState;
  /**
   * would-post: the posting runs through and makes the changes listed; would-skip: it finds what it
   * made before and changes nothing; would-stop: it stops at `error`; not-possible: no posting to rehearse.
   */
  outcome: 'would-post' | 'would-skip' | 'would-stop' | 'not-possible';
  /** The report, one sentence a line ("would create sale.order ...", "would stop: ..."). */
  lines: string[];
  changes: PlannedChange[];
  result?: { ref: string; summary: string };
  error?: { code?: string; message: string; gap?: string; lookedFor?: unknown };
}

/** The dry run of document `id`'s posting; undefined when there is no such document. */
export async function dryRunDocument(db: Conn, id: number, rehearse: Rehearse | undefined): Promise<DryRunReport | undefined> {
  const doc = await getDocument(db, id);
  if (!doc) return undefined;
  const base = { documentId: id, state: doc.state, changes: [] as PlannedChange[] };
  if (doc.document === null || doc.document === undefined || !doc.documentType) {
    const stage = doc.failedStage ?? doc.state;
    return { ...base, outcome: 'not-possible', lines: [`no canonical document yet (stopped at ${stage}): a replay runs ${stage} first; the dry run rehearses the posting only`] };
  }
  if (!rehearse) {
    return { ...base, outcome: 'would-post', lines: [`no Odoo configured (ODOO_URL): a replay would record document ${id} in the gateway's posted ledger`] };
  }
  const req: PostRequest = { documentId: doc.id, documentType: doc.documentType, naturalKey: naturalKeyOf(doc), partner: doc.partner, document: doc.document, envelope: doc.envelope };
  return { ...base, ...(await dryRunRequest(req, rehearse)) };
}

/** The dry run of one posting request (a stored document's, a test partner's, or a sample file's set of `edi partners test`). */
export async function dryRunRequest(req: PostRequest, rehearse: Rehearse): Promise<Omit<DryRunReport, 'documentId' | 'state'>> {
  const run = await rehearse(req);
  const lines = run.changes.map(describeChange);
  if (run.error !== undefined) {
    const error = errorOf(run.error);
    return { changes: run.changes, outcome: 'would-stop', error, lines: [...lines, `would stop: ${error.message}${error.code ? ` [${error.code}]` : ''}`] };
  }
  const result = { ref: run.result!.ref, summary: run.result!.summary };
  if (run.changes.length === 0) {
    const said = result.ref.startsWith('not-posted:') ? `would skip: ${result.summary}` : `would skip: already posted as ${result.ref} (${result.summary})`;
    return { changes: [], outcome: 'would-skip', result, lines: [said] };
  }
  return { changes: run.changes, outcome: 'would-post', result, lines: [...lines, `then: ${result.summary}`] };
}

/** "would create sale.order (new 1) {...}", "would write res.partner 7 {...}", "would call action_confirm on sale.order (new 1)". */
export function describeChange(c: PlannedChange): string {
  const on = `${c.model} ${c.ids.map(idText).join(', ')}`.trim();
  switch (c.kind) {
    case 'create':
      return `would create ${c.model} ${idText(c.newId!)} ${valuesText(c.values ?? {})}`;
    case 'write':
      return `would write ${on} ${valuesText(c.values ?? {})}`;
    case 'unlink':
      return `would delete ${on}`;
    default:
      return `would call ${c.method} on ${on}${c.params && Object.keys(c.params).length ? ` ${valuesText(c.params)}` : ''}`;
  }
}

function idText(id: number): string {
  return id < 0 ? `(new ${-id})` : String(id);
}

/** A change's values, short: one2many commands as their values, long texts cut. */
function valuesText(values: Record<string, unknown>): string {
  const text = JSON.stringify(values, (_key, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 77)}...` : v));
  return text.length > 1500 ? `${text.slice(0, 1497)}...` : text;
}

/** The coded failure under a target's error (TargetError keeps it in details.failure). */
function errorOf(error: unknown): NonNullable<DryRunReport['error']> {
  const failure = isGatewayError(error) ? (error.details['failure'] as Record<string, unknown> | undefined) : undefined;
  const code = typeof failure?.['code'] === 'string' ? failure['code'] : isGatewayError(error) ? error.code : undefined;
  return {
    message: messageOf(error),
    ...(code ? { code } : {}),
    ...(typeof failure?.['gap'] === 'string' ? { gap: failure['gap'] } : {}),
    ...(failure?.['lookedFor'] !== undefined ? { lookedFor: failure['lookedFor'] } : {}),
  };
}

// Plans for documents (one transaction set each) and their state changes.
import { tableIn } from '../identifiers.js';
import type { DocumentState, Json, Stage } from '../types.js';
import { json, Params, whereClause, type ByteRange, type Plan } from './plan.js';

const COLUMNS = [
  'id',
  'file_id',
  'interchange_id',
  'group_control',
  'version',
  'set_id',
  'control_number',
  'byte_offset',
  'byte_length',
  'state',
  'failed_stage',
  'reason',
  'document_type',
  'document',
  'findings',
  'target_ref',
  'attempts',
  'created_at',
  'updated_at',
  'envelope',
  'line',
  'number',
  'po_number',
] as const;

const columns = (alias: string) => COLUMNS.map((c) => `${alias}.${c}`).join(', ');

export interface NewDocument {
  fileId: number;
  interchangeId: number;
  /** GS06 */
  groupControl: string;
  /** GS08, e.g. 004010 */
  version: string;
  /** ST01, e.g. 850 */
  setId: string;
  /** ST02 */
  controlNumber: string;
  /** The ST..SE bytes inside the file. */
  byteOffset: number;
  byteLength: number;
  /** Default 'parsed'. */
  state?: DocumentState;
  failedStage?: Stage | null;
  reason?: string | null;
  documentType?: string | null;
  findings?: unknown[];
  /** The X12 envelope of the set (migration 2). */
  envelope?: Json | null;
  /** 1-based line of the ST in the file. */
  line?: number | null;
  /** The document's own number and its PO number, from the raw heading (src/maps/heading-numbers.ts; migration 12). */
  number?: string | null;
  poNumber?: string | null;
}

/** What the timeline says about a batch of changes (one event per changed document). */
export interface EventNote {
  stage: string;
  /** 'system' or the person who acted. */
  actor: string;
  message: string;
  details?: Json;
}

/**
 * Inserts many documents in one statement. A document already recorded (same interchange, same byte
 * offset: a re-run of the split) is skipped and not returned. With `event`, each inserted document
 * gets its first timeline entry in the same statement.
 */
export function insertDocuments(schema: string, docs: readonly NewDocument[], event?: EventNote, only?: typeof STATE_COLUMNS): Plan {
  const documents = tableIn(schema, 'documents');
  const p = new Params();
  const cols = {
    file_id: p.add(docs.map((d) => d.fileId)),
    interchange_id: p.add(docs.map((d) => d.interchangeId)),
    group_control: p.add(docs.map((d) => d.groupControl)),
    version: p.add(docs.map((d) => d.version)),
    set_id: p.add(docs.map((d) => d.setId)),
    control_number: p.add(docs.map((d) => d.controlNumber)),
    byte_offset: p.add(docs.map((d) => d.byteOffset)),
    byte_length: p.add(docs.map((d) => d.byteLength)),
    state: p.add(docs.map((d) => d.state ?? 'parsed')),
    failed_stage: p.add(docs.map((d) => d.failedStage ?? null)),
    reason: p.add(docs.map((d) => d.reason ?? null)),
    document_type: p.add(docs.map((d) => d.documentType ?? null)),
    findings: p.add(docs.map((d) => json(d.findings ?? []))),
    envelope: p.add(docs.map((d) => (d.envelope ? json(d.envelope) : null))),
    line: p.add(docs.map((d) => d.line ?? null)),
    number: p.add(docs.map((d) => d.number ?? null)),
    po_number: p.add(docs.map((d) => d.poNumber ?? null)),
  };
  const types = ['bigint', 'bigint', 'text', 'text', 'text', 'text', 'int', 'int', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'int', 'text', 'text'];
  const names = Object.keys(cols);
  const unnest = Object.values(cols)
    .map((placeholder, i) => `${placeholder}::${types[i]}[]`)
    .join(', ');
  const insert = `INSERT INTO ${documents} (${names.join(', ')})
           SELECT * FROM unnest(${unnest})
           ON CONFLICT (interchange_id, byte_offset) DO NOTHING
           RETURNING ${COLUMNS.join(', ')}`;
  if (!event) return { text: only ? `WITH inserted AS (${insert}) SELECT ${only} FROM inserted ORDER BY id` : insert, values: p.values };
  return {
    text: `WITH inserted AS (${insert}),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (file_id, document_id, stage, actor, to_state, message, details)
             SELECT file_id, id, ${p.add(event.stage)}, ${p.add(event.actor)}, state, ${p.add(event.message)}, ${p.add(json(event.details ?? {}))}
             FROM inserted)
           SELECT ${only ?? '*'} FROM inserted ORDER BY id`,
    values: p.values,
  };
}

/** One document's new state and what changes with it. Fields left undefined keep their value; null clears. */
export interface DocumentChange {
  id: number;
  to: DocumentState;
  failedStage?: Stage | null;
  reason?: string | null;
  documentType?: string | null;
  /** The canonical document. */
  document?: unknown;
  findings?: unknown[];
  /** The record id in the target (e.g. Odoo). */
  targetRef?: string | null;
  /** The timeline entry for this change; omit for none. */
  event?: { message: string; details?: Json };
}

export interface Transition {
  /** Guard: only documents currently in one of these states change; the others are left alone and not returned. */
  from: readonly DocumentState[];
  /** Stage and actor of the events. */
  stage: string;
  actor: string;
  /** Add one to `attempts` of each changed document. */
  countAttempt?: boolean;
  /**
   * Also guard on the posting lease (documents in 'posting', migration 6): only those the holder
   * still holds (the post stage recording its outcome), or only those whose lease ran out (a takeover).
   */
  lease?: { holder: string } | 'expired';
  changes: readonly DocumentChange[];
  /** Only these columns come back (a stage that needs no more than where its documents went). */
  only?: typeof STATE_COLUMNS;
}

/**
 * Where documents went, without their JSON: a large file's split and validation read back tens of
 * thousands of rows, and parsing their envelopes, findings and documents was a tenth of the CPU.
 */
export const STATE_COLUMNS = 'id, file_id, byte_offset, state';

// The optional fields of a change: [property, column, SQL type].
const OPTIONAL = [
  ['failedStage', 'failed_stage', 'text'],
  ['reason', 'reason', 'text'],
  ['documentType', 'document_type', 'text'],
  ['document', 'document', 'jsonb'],
  ['findings', 'findings', 'jsonb'],
  ['targetRef', 'target_ref', 'text'],
] as const;

/**
 * Moves documents to new states in one statement, each only from a state in `from` (the guard that
 * keeps a late or repeated job from undoing later progress), and writes one event per changed document
 * (from_state = the state it really left). Rows come back with `previous_state` for each changed document.
 * Rows are locked in id order, so concurrent batches cannot deadlock each other.
 */
export function transitionDocuments(schema: string, t: Transition): Plan {
  const documents = tableIn(schema, 'documents');
  const p = new Params();
  const input: string[] = [`${p.add(t.changes.map((c) => c.id))}::bigint[]`, `${p.add(t.changes.map((c) => c.to))}::text[]`];
  const names = ['id', 'to_state'];
  const sets: string[] = [];
  for (const [property, column, type] of OPTIONAL) {
    const given = t.changes.map((c) => c[property] !== undefined);
    const value = t.changes.map((c) => {
      const v = c[property];
      if (v === undefined || v === null) return null;
      return type === 'jsonb' ? json(v) : v;
    });
    input.push(`${p.add(given)}::bool[]`, `${p.add(value)}::${type}[]`);
    names.push(`set_${column}`, column);
    sets.push(`${column} = CASE WHEN i.set_${column} THEN i.${column} ELSE d.${column} END`);
  }
  input.push(`${p.add(t.changes.map((c) => c.event?.message ?? null))}::text[]`);
  input.push(`${p.add(t.changes.map((c) => (c.event ? json(c.event.details ?? {}) : null)))}::jsonb[]`);
  names.push('event_message', 'event_details');

  return {
    text: `WITH input AS (
             SELECT * FROM unnest(${input.join(', ')}) AS t(${names.join(', ')})
           ),
           old AS (
             SELECT d.id, d.state FROM ${documents} d JOIN input i ON i.id = d.id
             WHERE d.state = ANY(${p.add(t.from)}::text[])${leaseGuard(t.lease, p)}
             ORDER BY d.id FOR UPDATE OF d
           ),
           changed AS (
             UPDATE ${documents} d SET
               state = i.to_state,
               ${sets.join(',\n               ')},
               attempts = d.attempts + ${t.countAttempt ? 1 : 0},
               -- A lease lives only while the document is 'posting', which no transition enters (see claimPostings).
               lease_holder = NULL,
               lease_expires_at = NULL,
               updated_at = now()
             FROM old JOIN input i ON i.id = old.id
             WHERE d.id = old.id
             RETURNING ${columns('d')}, old.state AS previous_state, i.event_message, i.event_details
           ),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (file_id, document_id, stage, actor, from_state, to_state, message, details)
             SELECT file_id, id, ${p.add(t.stage)}, ${p.add(t.actor)}, previous_state, state, event_message, event_details
             FROM changed WHERE event_message IS NOT NULL
           )
           SELECT ${t.only ?? COLUMNS.join(', ')}, previous_state FROM changed ORDER BY id`,
    values: p.values,
  };
}

/** A lease that ran out (or that no claim set: a state written by hand). */
export const LEASE_EXPIRED = (alias: string) => `(${alias}.lease_expires_at IS NULL OR ${alias}.lease_expires_at < now())`;

function leaseGuard(lease: Transition['lease'], p: Params): string {
  if (lease === undefined) return '';
  if (lease === 'expired') return ` AND ${LEASE_EXPIRED('d')}`;
  return ` AND d.lease_holder = ${p.add(lease.holder)}`;
}

/** One document: UPDATE ... WHERE id = $1 AND state = ANY(from), with its event. No row back: the guard refused. */
export function setDocumentState(
  schema: string,
  change: DocumentChange & { from: readonly DocumentState[]; countAttempt?: boolean; stage?: string; actor?: string },
): Plan {
  const { from, countAttempt, stage, actor, ...rest } = change;
  if (rest.event && (!stage || !actor)) throw new Error('setDocumentState: an event needs stage and actor');
  return transitionDocuments(schema, {
    from,
    stage: stage ?? '',
    actor: actor ?? '',
    ...(countAttempt ? { countAttempt } : {}),
    changes: [rest],
  });
}

export function getDocument(schema: string, id: number): Plan {
  return {
    text: `SELECT ${columns('d')}, f.partner, f.source_name,
                  i.sender_qualifier, i.sender_id, i.receiver_qualifier, i.receiver_id, i.control_number AS interchange_control
           FROM ${tableIn(schema, 'documents')} d
           JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           JOIN ${tableIn(schema, 'interchanges')} i ON i.id = d.interchange_id
           WHERE d.id = $1`,
    values: [id],
  };
}

/** The set's own bytes (ST through SE), cut out of the stored file. */
export function getDocumentBytes(schema: string, id: number): Plan {
  return {
    text: `SELECT substring(f.bytes FROM d.byte_offset + 1 FOR d.byte_length) AS bytes
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           WHERE d.id = $1`,
    values: [id],
  };
}

export interface DocumentFilter {
  state?: DocumentState | readonly DocumentState[];
  partner?: string;
  /** ST01, e.g. 850 */
  setId?: string;
  fileId?: number;
  /**
   * What a person quotes: a PO number, shipment id or invoice number (documents.number/po_number),
   * a set control number (ST02) or the received file's name; matched exactly.
   */
  search?: string;
  /** Only documents created at or after this time (documents.created_at: when the split recorded them). */
  from?: Date;
  /** Only documents created before this time. */
  to?: Date;
  /** Keyset cursor: only ids below this one (the list runs newest first). */
  before?: number;
  /** Default 50. */
  limit?: number;
}

/**
 * Newest first, keyset-paginated: pass the last id of a page as `before` for the next. Each filter is
 * written so an index serves it (migrations 1, 12, 14; the figures: npm run bench:console): one state
 * as `=` (documents_state_idx in id order); a search as its own step over the number, PO number,
 * control number and file name indexes, sorted after (left in the one query, the planner may walk
 * every document newest first hoping for an early match); with a date range the list runs in
 * created order (created_at, id: the same order but for documents recorded in the same instant), so
 * the scan stays inside the range however old it is, and `before` resolves to its document's place.
 */
export function listDocuments(schema: string, filter: DocumentFilter = {}): Plan {
  const p = new Params();
  const documents = tableIn(schema, 'documents');
  const files = tableIn(schema, 'files');
  const where: string[] = [];
  if (filter.state !== undefined) {
    const states = typeof filter.state === 'string' ? [filter.state] : filter.state;
    where.push(states.length === 1 ? `d.state = ${p.add(states[0])}` : `d.state = ANY(${p.add(states)}::text[])`);
  }
  if (filter.setId) where.push(`d.set_id = ${p.add(filter.setId)}`);
  if (filter.fileId !== undefined) where.push(`d.file_id = ${p.add(filter.fileId)}`);
  if (filter.search) {
    const q = p.add(filter.search.trim());
    where.push(`(d.number = ${q} OR d.po_number = ${q} OR d.control_number = ${q}
                 OR d.file_id = ANY(ARRAY(SELECT id FROM ${files} WHERE source_name = ${q})))`);
  }
  const dated = filter.from !== undefined || filter.to !== undefined;
  if (filter.from) where.push(`d.created_at >= ${p.add(filter.from)}`);
  if (filter.to) where.push(`d.created_at < ${p.add(filter.to)}`);
  if (filter.before !== undefined) {
    const before = p.add(filter.before);
    where.push(dated ? `(d.created_at, d.id) < (SELECT created_at, id FROM ${documents} WHERE id = ${before})` : `d.id < ${before}`);
  }
  const partner = filter.partner ? [`f.partner = ${p.add(filter.partner)}`] : [];
  const columns = `d.id, d.file_id, d.set_id, d.control_number, d.state, d.failed_stage, d.reason,
                  d.document_type, d.target_ref, d.created_at, d.updated_at, d.number, d.po_number`;
  const order = `ORDER BY ${dated ? 'd.created_at DESC, d.id DESC' : 'd.id DESC'} LIMIT ${p.add(filter.limit ?? 50)}`;
  const text = filter.search
    ? `WITH found AS MATERIALIZED (SELECT ${columns} FROM ${documents} d ${whereClause(where)})
       SELECT d.*, f.partner FROM found d JOIN ${files} f ON f.id = d.file_id ${whereClause(partner)} ${order}`
    : `SELECT ${columns}, f.partner FROM ${documents} d JOIN ${files} f ON f.id = d.file_id ${whereClause([...where, ...partner])} ${order}`;
  return { text, values: p.values };
}

/** Full rows of one file's documents (or one interchange's), in file order. */
/** A file's or an interchange's documents; `range`: only the file's sets that start in these bytes. */
export function listDocumentsOf(schema: string, of: { fileId: number; range?: ByteRange } | { interchangeId: number }, only?: typeof STATE_COLUMNS): Plan {
  const [column, id] = 'fileId' in of ? ['file_id', of.fileId] : ['interchange_id', of.interchangeId];
  const range = 'range' in of && of.range ? of.range : undefined;
  return {
    text: `SELECT ${only ?? COLUMNS.join(', ')} FROM ${tableIn(schema, 'documents')} WHERE ${column} = $1${range ? ' AND byte_offset >= $2 AND byte_offset < $3' : ''} ORDER BY byte_offset, id`,
    values: range ? [id, range.from, range.to] : [id],
  };
}

export function countDocumentsByState(schema: string, filter: { fileId?: number } = {}): Plan {
  const p = new Params();
  const where = filter.fileId !== undefined ? [`file_id = ${p.add(filter.fileId)}`] : [];
  return {
    text: `SELECT state, count(*)::int AS count FROM ${tableIn(schema, 'documents')} ${whereClause(where)} GROUP BY state`,
    values: p.values,
  };
}

/**
 * Documents by state of one run of `edi start --once`: those of the files it took, and every other
 * document something happened to during the run (an event after `afterEventId`: a replay queued
 * before the run, a document waiting for its retry), so none it worked on is left out of its summary.
 */
export function countDocumentsOfRun(schema: string, run: { fileIds: readonly number[]; afterEventId: number }): Plan {
  return {
    text: `SELECT state, count(*)::int AS count FROM ${tableIn(schema, 'documents')}
           WHERE file_id = ANY($1::bigint[])
              OR id IN (SELECT document_id FROM ${tableIn(schema, 'events')} WHERE id > $2 AND document_id IS NOT NULL)
           GROUP BY state`,
    values: [[...run.fileIds], run.afterEventId],
  };
}

/**
 * The documents of a stage's batch that are still in one of `states`, with what the stage needs
 * (partner, source name, the interchange's key and delimiters; with `bytes`, the set's own bytes),
 * locked in id order until the transaction ends: a job handed out twice (an expired one still
 * running) waits here, then finds nothing left to do.
 */
export function lockDocumentsForWork(schema: string, w: { ids: readonly number[]; states: readonly DocumentState[]; bytes?: boolean }): Plan {
  const bytes = w.bytes ? ', substring(f.bytes FROM d.byte_offset + 1 FOR d.byte_length) AS bytes' : '';
  return {
    text: `SELECT ${columns('d')}, f.partner, f.source_name,
                  i.sender_qualifier, i.sender_id, i.receiver_qualifier, i.receiver_id, i.control_number AS interchange_control,
                  i.element_separator, i.component_separator, i.repetition_separator, i.segment_terminator${bytes}
           FROM ${tableIn(schema, 'documents')} d
           JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           JOIN ${tableIn(schema, 'interchanges')} i ON i.id = d.interchange_id
           WHERE d.id = ANY($1::bigint[]) AND d.state = ANY($2::text[])
           ORDER BY d.id
           FOR UPDATE OF d`,
    values: [w.ids, w.states],
  };
}

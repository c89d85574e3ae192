// Plans for outbound business documents (migration 10): one row per Odoo record, document kind
// and generation; every state change writes its event in the same statement.
import { tableIn } from '../identifiers.js';
import type { Json, OutboundDocumentRecord, OutboundDocumentState } from '../types.js';
import { json, type Plan } from './plan.js';


const COLUMNS = `id, partner, set_id, source_model, source_id, source_name, source_version, generation, state, reason, document,
  interchange_control, group_control, control_number, outbound_id, ack_window_seconds, ack_due_at, created_at, updated_at, sent_at, acknowledged_at`;

export interface OutboundSource {
  model: string;
  recordId: number;
  setId: string;
}

/** The newest generation of a record's document of one kind, locked for the rest of the transaction. */
export function lockOutboundDocument(schema: string, s: OutboundSource): Plan {
  return {
    text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'outbound_documents')}
           WHERE source_model = $1 AND source_id = $2 AND set_id = $3 ORDER BY generation DESC LIMIT 1 FOR UPDATE`,
    values: [s.model, s.recordId, s.setId],
  };
}

export function getOutboundDocument(schema: string, id: number): Plan {
  return { text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'outbound_documents')} WHERE id = $1`, values: [id] };
}

/** What a build decided for a record: held with its reason, or built with its numbers and delivery entry. */
export type OutboundDocumentVersion = Pick<OutboundDocumentRecord, 'partner' | 'reason' | 'document' | 'interchangeControl' | 'groupControl' | 'controlNumber' | 'outboundId' | 'ackWindowSeconds'> & {
  sourceName: string;
  sourceVersion: string;
  state: 'held' | 'built';
};

export interface OutboundEventInput {
  stage: string;
  actor: string;
  message: string;
  details?: Json;
}

const versionValues = (v: OutboundDocumentVersion) => [
  v.partner, v.sourceName, v.sourceVersion, v.state, v.reason, v.document === null ? null : json(v.document),
  v.interchangeControl, v.groupControl, v.controlNumber, v.outboundId, v.ackWindowSeconds,
];

/** A record's first document of a kind (or a next generation), with its first event. */
export function insertOutboundDocument(schema: string, s: OutboundSource & { generation: number }, v: OutboundDocumentVersion, event: OutboundEventInput): Plan {
  return {
    text: `WITH doc AS (
             INSERT INTO ${tableIn(schema, 'outbound_documents')} (partner, source_name, source_version, state, reason, document,
               interchange_control, group_control, control_number, outbound_id, ack_window_seconds, source_model, source_id, set_id, generation)
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             RETURNING ${COLUMNS}),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, $16, $17, NULL, state, $18, $19::jsonb FROM doc)
           SELECT * FROM doc`,
    values: [...versionValues(v), s.model, s.recordId, s.setId, s.generation, event.stage, event.actor, event.message, json(event.details ?? {})],
  };
}

/** A held document built again (or held again with a new reason), from one of `from`, with its event. */
export function replaceOutboundDocument(schema: string, id: number, from: readonly OutboundDocumentState[], v: OutboundDocumentVersion, event: OutboundEventInput): Plan {
  return {
    text: `WITH old AS (SELECT id, state FROM ${tableIn(schema, 'outbound_documents')} WHERE id = $12 AND state = ANY($13::text[]) FOR UPDATE),
           doc AS (
             UPDATE ${tableIn(schema, 'outbound_documents')} d SET partner = $1, source_name = $2, source_version = $3, state = $4, reason = $5,
               document = $6::jsonb, interchange_control = $7, group_control = $8, control_number = $9, outbound_id = $10,
               ack_window_seconds = $11, updated_at = now()
             FROM old WHERE d.id = old.id
             RETURNING d.*, old.state AS previous_state),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, $14, $15, previous_state, state, $16, $17::jsonb FROM doc)
           SELECT ${COLUMNS} FROM doc`,
    values: [...versionValues(v), id, [...from], event.stage, event.actor, event.message, json(event.details ?? {})],
  };
}

/**
 * For a delivery entry just marked sent (src/jobs/deliver.ts), in the same transaction:
 * - the entry a document was built with: built -> sent; its acknowledgment is due ack_window_seconds later;
 * - a person's resend of a document (source key `<original's key>:resend:<n>`, outbound-actions.ts):
 *   a document still waiting for its acknowledgment (sent, ack-overdue) is `sent` again with the clock
 *   counted from this delivery (sent_at and ack_due_at: the partner's window starts when it has the
 *   bytes); one already answered keeps its state and its answer. Either way the delivery is on its timeline.
 * Returns the documents it wrote an event for (none: the entry is an acknowledgment).
 */
export function markOutboundDocumentSent(schema: string, outboundId: number, remotePath: string | null): Plan {
  const docs = tableIn(schema, 'outbound_documents');
  const due = `CASE WHEN ack_window_seconds IS NULL THEN NULL ELSE now() + ack_window_seconds * interval '1 second' END`;
  const dueBy = `coalesce(', acknowledgment due by ' || to_char(ack_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), '')`;
  return {
    text: `WITH first AS (
             UPDATE ${docs} SET state = 'sent', sent_at = now(), updated_at = now(), ack_due_at = ${due}
             WHERE outbound_id = $1 AND state = 'built'
             RETURNING id, ack_due_at),
           resent AS (
             SELECT d.id, d.state FROM ${tableIn(schema, 'outbound')} r
             JOIN ${tableIn(schema, 'outbound')} o ON o.source_key = substring(r.source_key FROM '^(.*):resend:[0-9]+$')
             JOIN ${docs} d ON d.outbound_id = o.id
             WHERE r.id = $1
             FOR UPDATE OF d),
           again AS (
             UPDATE ${docs} d SET state = 'sent', sent_at = now(), updated_at = now(), ack_due_at = ${due}
             FROM resent WHERE d.id = resent.id AND resent.state IN ('sent', 'ack-overdue')
             RETURNING d.id, resent.state AS previous_state, d.ack_due_at),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, 'deliver', 'system', 'built', 'sent',
                    'sent' || coalesce(' as ' || $2::text, '') || ${dueBy},
                    jsonb_build_object('outboundId', $1::bigint, 'remotePath', $2::text) FROM first
             UNION ALL
             SELECT id, 'deliver', 'system', nullif(previous_state, 'sent'), nullif('sent', previous_state),
                    'resent' || coalesce(' as ' || $2::text, '') || CASE WHEN previous_state = 'ack-overdue' THEN ': back to sent' ELSE '' END
                      || coalesce(', acknowledgment now due by ' || to_char(ack_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') || ' (counted from this delivery)', ''),
                    jsonb_build_object('outboundId', $1::bigint, 'remotePath', $2::text, 'resend', true, 'ackDueAt', ack_due_at) FROM again
             UNION ALL
             SELECT id, 'deliver', 'system', NULL, NULL,
                    'resent' || coalesce(' as ' || $2::text, '') || ': it stays ' || state || ' (already answered; no acknowledgment is awaited)',
                    jsonb_build_object('outboundId', $1::bigint, 'remotePath', $2::text, 'resend', true) FROM resent
             WHERE state NOT IN ('sent', 'ack-overdue'))
           SELECT id FROM first UNION ALL SELECT id FROM resent`,
    values: [outboundId, remotePath],
  };
}

export function listOutboundDocuments(schema: string, filter: { state?: OutboundDocumentState; partner?: string; limit?: number } = {}): Plan {
  return {
    text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'outbound_documents')}
           WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR partner = $2)
           ORDER BY id DESC LIMIT $3`,
    values: [filter.state ?? null, filter.partner ?? null, filter.limit ?? 100],
  };
}

/** The newest posted inbound document with one of `repeatKeys` (target|partner|set|number|purpose): what an outbound document answers. */
export function findPostedByRepeatKeys(schema: string, repeatKeys: readonly string[]): Plan {
  return {
    text: `SELECT id, document FROM ${tableIn(schema, 'documents')} WHERE repeat_key = ANY($1::text[]) AND state = 'posted' ORDER BY id DESC LIMIT 1`,
    values: [[...repeatKeys]],
  };
}

/** The newest generation's state and built version of these records' documents of one kind. */
export function knownOutboundVersions(schema: string, of: { model: string; setId: string; recordIds: readonly number[] }): Plan {
  return {
    text: `SELECT DISTINCT ON (source_id) source_id, state, source_version FROM ${tableIn(schema, 'outbound_documents')}
           WHERE source_model = $1 AND set_id = $2 AND source_id = ANY($3::bigint[]) ORDER BY source_id, generation DESC`,
    values: [of.model, of.setId, [...of.recordIds]],
  };
}

/** The poller's place for a model and kind. */
export function getOdooCursor(schema: string, model: string, kind: string): Plan {
  return { text: `SELECT write_date FROM ${tableIn(schema, 'odoo_cursors')} WHERE model = $1 AND kind = $2`, values: [model, kind] };
}

export function setOdooCursor(schema: string, model: string, kind: string, writeDate: string): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'odoo_cursors')} (model, kind, write_date) VALUES ($1, $2, $3)
           ON CONFLICT (model, kind) DO UPDATE SET write_date = GREATEST(${tableIn(schema, 'odoo_cursors')}.write_date, EXCLUDED.write_date), updated_at = now()`,
    values: [model, kind, writeDate],
  };
}

/** One document by id, locked for the rest of the transaction (a person's resend). */
export function lockOutboundDocumentById(schema: string, id: number): Plan {
  return { text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'outbound_documents')} WHERE id = $1 FOR UPDATE`, values: [id] };
}

/** A document superseded by a person's regenerate -> cancelled, from one of `from`, with its event. */
export function cancelOutboundDocument(schema: string, id: number, from: readonly OutboundDocumentState[], event: OutboundEventInput): Plan {
  return {
    text: `WITH old AS (SELECT id, state FROM ${tableIn(schema, 'outbound_documents')} WHERE id = $1 AND state = ANY($2::text[]) FOR UPDATE),
           doc AS (
             UPDATE ${tableIn(schema, 'outbound_documents')} d SET state = 'cancelled', updated_at = now()
             FROM old WHERE d.id = old.id
             RETURNING d.id, old.state AS previous_state),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, $3, $4, previous_state, 'cancelled', $5, $6::jsonb FROM doc)
           SELECT id FROM doc`,
    values: [id, [...from], event.stage, event.actor, event.message, json(event.details ?? {})],
  };
}

/**
 * A document's delivery entries, oldest first: the one it was built with and those of its resends
 * (each resend's event names its entry: details.resend, details.outboundId).
 */
export function deliveriesOfOutboundDocument(schema: string, id: number): Plan {
  return {
    text: `WITH d AS (SELECT id, outbound_id FROM ${tableIn(schema, 'outbound_documents')} WHERE id = $1),
           ids AS (
             SELECT outbound_id AS id FROM d WHERE outbound_id IS NOT NULL
             UNION
             SELECT (e.details->>'outboundId')::bigint FROM ${tableIn(schema, 'events')} e JOIN d ON e.outbound_document_id = d.id
             WHERE e.details->>'resend' = 'true')
           SELECT o.id, o.partner, o.kind, o.file_id, o.source_key, o.payload, o.state, o.reason, o.created_at, o.sent_at,
                  o.file_name, o.remote_path, o.attempts, o.id IS DISTINCT FROM (SELECT outbound_id FROM d) AS resend
           FROM ${tableIn(schema, 'outbound')} o JOIN ids ON ids.id = o.id
           ORDER BY o.id`,
    values: [id],
  };
}

// Plans for the timeline.
import { tableIn } from '../identifiers.js';
import type { Json } from '../types.js';
import { json, Params, type Plan } from './plan.js';

const EVENT_COLUMNS = 'id, file_id, document_id, at, stage, actor, from_state, to_state, message, details';

export interface NewEvent {
  fileId?: number | null;
  documentId?: number | null;
  /** An outbound document's timeline (outbound_documents.id, migration 10). */
  outboundDocumentId?: number | null;
  /** intake, split, validate, map, post, replay, ops, ... */
  stage: string;
  /** 'system' or the person who acted. */
  actor: string;
  fromState?: string | null;
  toState?: string | null;
  message: string;
  details?: Json;
}

/** Inserts events in one statement (one or many). */
export function insertEvents(schema: string, events: readonly NewEvent[]): Plan {
  const p = new Params();
  const arrays = [
    `${p.add(events.map((e) => e.fileId ?? null))}::bigint[]`,
    `${p.add(events.map((e) => e.documentId ?? null))}::bigint[]`,
    `${p.add(events.map((e) => e.stage))}::text[]`,
    `${p.add(events.map((e) => e.actor))}::text[]`,
    `${p.add(events.map((e) => e.fromState ?? null))}::text[]`,
    `${p.add(events.map((e) => e.toState ?? null))}::text[]`,
    `${p.add(events.map((e) => e.message))}::text[]`,
    `${p.add(events.map((e) => json(e.details ?? {})))}::jsonb[]`,
    `${p.add(events.map((e) => e.outboundDocumentId ?? null))}::bigint[]`,
  ];
  return {
    text: `INSERT INTO ${tableIn(schema, 'events')} (file_id, document_id, stage, actor, from_state, to_state, message, details, outbound_document_id)
           SELECT * FROM unnest(${arrays.join(', ')})
           RETURNING ${EVENT_COLUMNS}`,
    values: p.values,
  };
}

export function insertEvent(schema: string, event: NewEvent): Plan {
  return insertEvents(schema, [event]);
}

/** A document's timeline, oldest first. */
export function documentTimeline(schema: string, documentId: number): Plan {
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM ${tableIn(schema, 'events')} WHERE document_id = $1 ORDER BY id`,
    values: [documentId],
  };
}

/** An outbound document's timeline, oldest first. */
export function outboundDocumentTimeline(schema: string, outboundDocumentId: number): Plan {
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM ${tableIn(schema, 'events')} WHERE outbound_document_id = $1 ORDER BY id`,
    values: [outboundDocumentId],
  };
}

/** A file's timeline, oldest first: its own events and its documents' (events carry the file id when known). */
export function fileTimeline(schema: string, fileId: number): Plan {
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM ${tableIn(schema, 'events')} WHERE file_id = $1 ORDER BY id`,
    values: [fileId],
  };
}

/** Events after `afterId` in id order, with their document's set and control number and their file's name (the log tail). */
export function eventsSince(schema: string, afterId: number, limit: number): Plan {
  return {
    text: `SELECT e.id, coalesce(e.file_id, d.file_id) AS file_id, e.document_id, e.outbound_document_id, e.stage, e.actor, e.from_state, e.to_state, e.message,
                  coalesce(d.set_id, o.set_id) AS set_id, coalesce(d.control_number, o.control_number) AS control_number, f.source_name,
                  o.partner AS outbound_partner, d.interchange_id, f.partner AS file_partner
           FROM ${tableIn(schema, 'events')} e
           LEFT JOIN ${tableIn(schema, 'documents')} d ON d.id = e.document_id
           LEFT JOIN ${tableIn(schema, 'outbound_documents')} o ON o.id = e.outbound_document_id
           LEFT JOIN ${tableIn(schema, 'files')} f ON f.id = coalesce(e.file_id, d.file_id)
           WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
    values: [afterId, limit],
  };
}

/** The newest event's id (0 when there is none). */
export function lastEventId(schema: string): Plan {
  return { text: `SELECT coalesce(max(id), 0)::bigint AS id FROM ${tableIn(schema, 'events')}`, values: [] };
}

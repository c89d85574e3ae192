// Plans for what the partner's acknowledgments do to the documents we sent (outbound_documents,
// migration 10): the documents an inbound 997/999 (or TA1) names, their moves with one event each, and the
// sweep that marks the unanswered ones overdue.
import { tableIn } from '../identifiers.js';
import type { Json } from '../types.js';
import { json, Params, type Plan } from './plan.js';

/**
 * The partner's documents of one of our groups (GS06), locked in id order until the transaction ends:
 * two acknowledgments of one group (or the overdue sweep) wait for each other instead of both deciding.
 */
export function lockDocumentsOfGroup(schema: string, of: { partner: string; groupControl: string }): Plan {
  return {
    text: `SELECT id, set_id, control_number, state FROM ${tableIn(schema, 'outbound_documents')}
           WHERE partner = $1 AND group_control = $2
           ORDER BY id FOR UPDATE`,
    values: [of.partner, of.groupControl],
  };
}

/**
 * The partner's documents sent in one of our interchanges (ISA13), with the ISA of the bytes sent
 * (its date and time tell apart two interchanges that share a number after the counter wrapped),
 * locked in id order like lockDocumentsOfGroup.
 */
export function lockDocumentsOfInterchange(schema: string, of: { partner: string; interchangeControl: string }): Plan {
  return {
    text: `SELECT d.id, d.set_id, d.control_number, d.state, left(o.payload, 106) AS isa
           FROM ${tableIn(schema, 'outbound_documents')} d LEFT JOIN ${tableIn(schema, 'outbound')} o ON o.id = d.outbound_id
           WHERE d.partner = $1 AND d.interchange_control = $2
           ORDER BY d.id FOR UPDATE OF d`,
    values: [of.partner, of.interchangeControl],
  };
}

/** One document's move on an acknowledgment, with its timeline entry. */
export interface AckStateMove {
  id: number;
  to: string;
  message: string;
  details: Json;
}

/**
 * Moves documents to what the acknowledgment says, each only from one of `from` (the guard that keeps
 * a repeated ack from moving an answered document again), sets acknowledged_at, and writes one event
 * per moved document (events.outbound_document_id; from_state = the state it really left).
 */
export function applyAckMoves(schema: string, m: { moves: readonly AckStateMove[]; from: readonly string[]; at: Date; stage: string; actor: string }): Plan {
  const p = new Params();
  return {
    text: `WITH input AS (
             SELECT * FROM unnest(${p.add(m.moves.map((x) => x.id))}::bigint[], ${p.add(m.moves.map((x) => x.to))}::text[],
                                  ${p.add(m.moves.map((x) => x.message))}::text[], ${p.add(m.moves.map((x) => json(x.details)))}::jsonb[])
                    AS t(id, to_state, message, details)
           ),
           old AS (
             SELECT o.id, o.state FROM ${tableIn(schema, 'outbound_documents')} o JOIN input i ON i.id = o.id
             WHERE o.state = ANY(${p.add(m.from)}::text[])
             ORDER BY o.id FOR UPDATE OF o
           ),
           moved AS (
             UPDATE ${tableIn(schema, 'outbound_documents')} o SET state = i.to_state, acknowledged_at = ${p.add(m.at)}::timestamptz, updated_at = now()
             FROM old JOIN input i ON i.id = old.id
             WHERE o.id = old.id
             RETURNING o.id, old.state AS from_state, o.state AS to_state, i.message, i.details
           ),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, ${p.add(m.stage)}, ${p.add(m.actor)}, from_state, to_state, message, details FROM moved
           )
           SELECT id, from_state, to_state FROM moved ORDER BY id`,
    values: p.values,
  };
}

/**
 * Documents in 'sent' whose ack_due_at has passed -> 'ack-overdue', one event each, in one statement.
 * Rows another transaction holds (an acknowledgment being applied) are skipped: the next sweep sees them.
 */
export function markAcksOverdue(schema: string, m: { now: Date; stage: string; actor: string }): Plan {
  const p = new Params();
  return {
    text: `WITH due AS (
             SELECT id FROM ${tableIn(schema, 'outbound_documents')}
             WHERE state = 'sent' AND ack_due_at < ${p.add(m.now)}::timestamptz
             ORDER BY id FOR UPDATE SKIP LOCKED
           ),
           moved AS (
             UPDATE ${tableIn(schema, 'outbound_documents')} o SET state = 'ack-overdue', updated_at = now()
             FROM due WHERE o.id = due.id
             RETURNING o.id, o.partner, o.set_id, o.control_number, o.sent_at, o.ack_due_at
           ),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, stage, actor, from_state, to_state, message, details)
             SELECT id, ${p.add(m.stage)}, ${p.add(m.actor)}, 'sent', 'ack-overdue',
                    format('no 997/999 came by %s UTC (sent %s UTC)',
                           to_char(ack_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                           coalesce(to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '?')),
                    jsonb_build_object('ackDueAt', ack_due_at, 'sentAt', sent_at)
             FROM moved
           )
           SELECT id, partner, set_id, control_number, ack_due_at FROM moved ORDER BY id`,
    values: p.values,
  };
}

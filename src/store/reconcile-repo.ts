// What the partner's acknowledgments do to the documents we sent: the candidates an inbound 997/999
// or TA1 names, their moves (src/acks/reconcile.ts decides them), and the overdue sweep.
import type { OutboundDocumentState, SentDocument, SentInInterchange } from '../acks/reconcile.js';
import { run, type Conn } from './conn.js';
import type { Row } from './rows.js';
import * as sql from './sql/reconcile.js';

/** The partner's documents of our group `groupControl` (GS06), locked until the transaction ends. */
export async function lockDocumentsOfGroup(conn: Conn, of: { partner: string; groupControl: string }): Promise<SentDocument[]> {
  return (await run<Row>(conn, sql.lockDocumentsOfGroup(conn.schema, of))).rows.map((r) => ({
    id: Number(r.id),
    setId: String(r.set_id),
    controlNumber: String(r.control_number ?? ''),
    state: r.state as OutboundDocumentState,
  }));
}

/** The partner's documents of our interchange `interchangeControl` (ISA13, nine digits), locked until the transaction ends. */
export async function lockDocumentsOfInterchange(conn: Conn, of: { partner: string; interchangeControl: string }): Promise<SentInInterchange[]> {
  return (await run<Row>(conn, sql.lockDocumentsOfInterchange(conn.schema, of))).rows.map((r) => ({
    id: Number(r.id),
    setId: String(r.set_id),
    controlNumber: String(r.control_number ?? ''),
    state: r.state as OutboundDocumentState,
    ...(typeof r.isa === 'string' ? { isa: r.isa } : {}),
  }));
}

export interface MovedOutbound {
  id: number;
  fromState: OutboundDocumentState;
  toState: OutboundDocumentState;
}

/** Applies the moves whose document is still in one of `from`; returns those that moved. */
export async function applyAckMoves(conn: Conn, m: Parameters<typeof sql.applyAckMoves>[1]): Promise<MovedOutbound[]> {
  if (m.moves.length === 0) return [];
  return (await run<Row>(conn, sql.applyAckMoves(conn.schema, m))).rows.map((r) => ({
    id: Number(r.id),
    fromState: r.from_state as OutboundDocumentState,
    toState: r.to_state as OutboundDocumentState,
  }));
}

export interface OverdueDocument {
  id: number;
  partner: string;
  setId: string;
  controlNumber: string | null;
  ackDueAt: Date;
}

/**
 * Documents in 'sent' whose ack_due_at is before `now` -> 'ack-overdue', one event each, in one
 * statement (for the periodic sweep). Returns those it moved.
 */
export async function markAcksOverdue(conn: Conn, now: Date): Promise<OverdueDocument[]> {
  return (await run<Row>(conn, sql.markAcksOverdue(conn.schema, { now, stage: 'ack', actor: 'system' }))).rows.map((r) => ({
    id: Number(r.id),
    partner: String(r.partner),
    setId: String(r.set_id),
    controlNumber: (r.control_number as string | null) ?? null,
    ackDueAt: r.ack_due_at as Date,
  }));
}

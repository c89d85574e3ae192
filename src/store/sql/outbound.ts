// Plans for outbound entries (acknowledgments waiting for delivery) and control numbers.
import { tableIn } from '../identifiers.js';
import type { ControlNumberKind, OutboundState } from '../types.js';
import { Params, whereClause, type Plan } from './plan.js';

const OUTBOUND_COLUMNS = 'id, partner, kind, file_id, source_key, payload, state, reason, created_at, sent_at';

/** The source key of the acknowledgment queued for a received interchange: interchange:<id>:ack (src/jobs/acks.ts). */
export const ACK_SOURCE_KEY = { prefix: 'interchange:', suffix: ':ack' } as const;
export const ackSourceKey = (interchangeId: number): string => `${ACK_SOURCE_KEY.prefix}${interchangeId}${ACK_SOURCE_KEY.suffix}`;

export interface NewOutbound {
  partner: string;
  /** '997', '999', 'TA1', later '850', ... */
  kind: string;
  fileId?: number | null;
  /** What this entry answers (e.g. 'interchange:42:997'): a second insert with the same key is skipped. */
  sourceKey?: string | null;
  payload: string;
}

/** Inserts an entry in state 'ready'; an existing source_key means no row back. */
export function insertOutbound(schema: string, o: NewOutbound): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'outbound')} (partner, kind, file_id, source_key, payload)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (source_key) DO NOTHING
           RETURNING ${OUTBOUND_COLUMNS}`,
    values: [o.partner, o.kind, o.fileId ?? null, o.sourceKey ?? null, o.payload],
  };
}

/** insertOutbound for many entries in one statement: those whose source key exists are skipped and not returned. */
export function insertOutboundMany(schema: string, entries: readonly NewOutbound[]): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'outbound')} (partner, kind, file_id, source_key, payload)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])
           ON CONFLICT (source_key) DO NOTHING
           RETURNING ${OUTBOUND_COLUMNS}`,
    values: [entries.map((e) => e.partner), entries.map((e) => e.kind), entries.map((e) => e.fileId ?? null), entries.map((e) => e.sourceKey ?? null), entries.map((e) => e.payload)],
  };
}

/** Which of these source keys have an entry. */
export function findOutboundSourceKeys(schema: string, sourceKeys: readonly string[]): Plan {
  return { text: `SELECT source_key FROM ${tableIn(schema, 'outbound')} WHERE source_key = ANY($1::text[])`, values: [[...sourceKeys]] };
}

export function listOutbound(schema: string, filter: { state?: OutboundState; partner?: string; fileId?: number; limit?: number } = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.state) where.push(`state = ${p.add(filter.state)}`);
  if (filter.partner) where.push(`partner = ${p.add(filter.partner)}`);
  if (filter.fileId !== undefined) where.push(`file_id = ${p.add(filter.fileId)}`);
  return {
    text: `SELECT ${OUTBOUND_COLUMNS} FROM ${tableIn(schema, 'outbound')} ${whereClause(where)}
           ORDER BY id LIMIT ${p.add(filter.limit ?? 100)}`,
    values: p.values,
  };
}

/** Guarded like documents: only from one of `from`; sent_at is stamped on 'sent'. */
export function setOutboundState(
  schema: string,
  c: { id: number; from: readonly OutboundState[]; to: OutboundState; reason?: string | null },
): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET state = $3, reason = $4, sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END
           WHERE id = $1 AND state = ANY($2::text[])
           RETURNING ${OUTBOUND_COLUMNS}`,
    values: [c.id, c.from, c.to, c.reason ?? null],
  };
}

/**
 * Takes the next control number for (partner, kind) atomically: one UPDATE (or the first INSERT)
 * whose row lock serializes concurrent takers. Numbers run 1..max, then wrap to 1
 * (ISA13 and GS06 are at most 9 digits: max 999999999).
 */
export function nextControlNumber(schema: string, c: { partner: string; kind: ControlNumberKind; max?: number }): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'control_numbers')} AS c (partner, kind, next) VALUES ($1, $2, 2)
           ON CONFLICT (partner, kind) DO UPDATE SET next = CASE WHEN c.next >= $3 THEN 1 ELSE c.next + 1 END
           RETURNING (CASE WHEN next = 1 THEN $3 ELSE next - 1 END)::bigint AS value`,
    values: [c.partner, c.kind, c.max ?? 999_999_999],
  };
}

/**
 * Takes `count` numbers at once, as `count` nextControlNumber calls would: from the stored next one,
 * wrapping after `max` to 1. Returns the first; the others follow it (wrapping).
 */
export function nextControlNumbers(schema: string, c: { partner: string; kind: ControlNumberKind; count: number; max?: number }): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'control_numbers')} AS c (partner, kind, next) VALUES ($1, $2, ($3::bigint % $4::bigint) + 1)
           ON CONFLICT (partner, kind) DO UPDATE SET next = ((c.next - 1 + $3::bigint) % $4::bigint) + 1
           RETURNING ((((next - 1 - $3::bigint) % $4::bigint) + $4::bigint) % $4::bigint + 1)::bigint AS value`,
    values: [c.partner, c.kind, c.count, c.max ?? 999_999_999],
  };
}

/** Sets the number the next take returns (e.g. to continue a partner's existing sequence). */
export function setControlNumber(schema: string, c: { partner: string; kind: ControlNumberKind; next: number }): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'control_numbers')} (partner, kind, next) VALUES ($1, $2, $3)
           ON CONFLICT (partner, kind) DO UPDATE SET next = EXCLUDED.next`,
    values: [c.partner, c.kind, c.next],
  };
}

export function findOutboundBySourceKey(schema: string, sourceKey: string): Plan {
  return { text: `SELECT ${OUTBOUND_COLUMNS} FROM ${tableIn(schema, 'outbound')} WHERE source_key = $1`, values: [sourceKey] };
}

/** Outbound entries (acknowledgments) queued for these files, counted by kind and state. */
export function countOutboundOfFiles(schema: string, fileIds: readonly number[]): Plan {
  return {
    text: `SELECT kind, state, count(*)::int AS n FROM ${tableIn(schema, 'outbound')}
           WHERE file_id = ANY($1::bigint[]) GROUP BY kind, state ORDER BY kind, state`,
    values: [[...fileIds]],
  };
}

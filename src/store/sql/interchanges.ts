// Plans for interchanges (one ISA..IEA each).
import { tableIn } from '../identifiers.js';
import type { InterchangeState, StoredDelimiters } from '../types.js';
import { json, Params, type ByteRange, type Plan } from './plan.js';

export const INTERCHANGE_COLUMNS =
  'id, file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, usage, state, duplicate_of, findings, created_at, ' +
  'element_separator, component_separator, repetition_separator, segment_terminator';

export interface NewInterchange {
  fileId: number;
  /** Where the ISA starts in the file, and how many bytes through the IEA. */
  byteOffset: number;
  byteLength: number;
  /** ISA05/ISA06, ISA07/ISA08: trimmed of their padding. */
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA13 exactly as sent (9 digits, leading zeros kept). */
  controlNumber: string;
  /** ISA15: P or T. */
  usage: string;
  state: InterchangeState;
  /** Required exactly when state is 'duplicate'. */
  duplicateOf?: number | null;
  findings?: unknown[];
  /** The interchange's delimiters (migration 2), so one set can be read back from its own bytes. */
  delimiters?: StoredDelimiters | null;
}

/**
 * Inserts an interchange. When another non-duplicate interchange already holds the same sender and
 * ISA13 (an accepted one: a rejected interchange may be corrected and resent under its number), nothing is inserted and no row comes back (ON CONFLICT on the partial unique index): the
 * caller records this one as a duplicate of that one (see interchanges-repo recordInterchange).
 */
export function insertInterchange(schema: string, i: NewInterchange): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'interchanges')}
             (file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
              control_number, usage, state, duplicate_of, findings,
              element_separator, component_separator, repetition_separator, segment_terminator)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (sender_qualifier, sender_id, control_number) WHERE state = 'accepted' DO NOTHING
           RETURNING ${INTERCHANGE_COLUMNS}`,
    values: [
      i.fileId,
      i.byteOffset,
      i.byteLength,
      i.senderQualifier,
      i.senderId,
      i.receiverQualifier,
      i.receiverId,
      i.controlNumber,
      i.usage,
      i.state,
      i.duplicateOf ?? null,
      json(i.findings ?? []),
      i.delimiters?.element ?? null,
      i.delimiters?.component ?? null,
      i.delimiters?.repetition ?? null,
      i.delimiters?.segment ?? null,
    ],
  };
}

/**
 * Inserts many interchanges of one file in one statement (the split of a large file's slice), as
 * insertInterchange does each: one that conflicts with an accepted one of the same sender and ISA13
 * (before, or earlier in this batch) is not inserted and not returned.
 */
export function insertInterchanges(schema: string, rows: readonly NewInterchange[]): Plan {
  const p = new Params();
  const col = <T>(type: string, f: (i: NewInterchange) => T) => `${p.add(rows.map(f))}::${type}[]`;
  const columns = [
    col('bigint', (i) => i.fileId),
    col('bigint', (i) => i.byteOffset),
    col('bigint', (i) => i.byteLength),
    col('text', (i) => i.senderQualifier),
    col('text', (i) => i.senderId),
    col('text', (i) => i.receiverQualifier),
    col('text', (i) => i.receiverId),
    col('text', (i) => i.controlNumber),
    col('text', (i) => i.usage),
    col('text', (i) => i.state),
    col('jsonb', (i) => json(i.findings ?? [])),
    col('text', (i) => i.delimiters?.element ?? null),
    col('text', (i) => i.delimiters?.component ?? null),
    col('text', (i) => i.delimiters?.repetition ?? null),
    col('text', (i) => i.delimiters?.segment ?? null),
  ];
  return {
    text: `INSERT INTO ${tableIn(schema, 'interchanges')}
             (file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
              control_number, usage, state, findings,
              element_separator, component_separator, repetition_separator, segment_terminator)
           SELECT * FROM unnest(${columns.join(', ')})
           ON CONFLICT (sender_qualifier, sender_id, control_number) WHERE state = 'accepted' DO NOTHING
           RETURNING ${INTERCHANGE_COLUMNS}`,
    values: p.values,
  };
}

/** The interchanges recorded at these places of this file (a re-run of a slice finds them). */
export function findInterchangesAt(schema: string, fileId: number, byteOffsets: readonly number[]): Plan {
  return {
    text: `SELECT ${INTERCHANGE_COLUMNS} FROM ${tableIn(schema, 'interchanges')} WHERE file_id = $1 AND byte_offset = ANY($2::bigint[])`,
    values: [fileId, [...byteOffsets]],
  };
}

/** The interchange recorded at this place of this file (a re-run of the split finds it). */
export function findInterchangeAt(schema: string, fileId: number, byteOffset: number): Plan {
  return {
    text: `SELECT ${INTERCHANGE_COLUMNS} FROM ${tableIn(schema, 'interchanges')} WHERE file_id = $1 AND byte_offset = $2`,
    values: [fileId, byteOffset],
  };
}

/** The accepted interchange with this sender and ISA13. */
export function findInterchangeByControl(schema: string, key: { senderQualifier: string; senderId: string; controlNumber: string }): Plan {
  return {
    text: `SELECT ${INTERCHANGE_COLUMNS} FROM ${tableIn(schema, 'interchanges')}
           WHERE sender_qualifier = $1 AND sender_id = $2 AND control_number = $3 AND state = 'accepted'`,
    values: [key.senderQualifier, key.senderId, key.controlNumber],
  };
}

export function getInterchange(schema: string, id: number): Plan {
  return { text: `SELECT ${INTERCHANGE_COLUMNS} FROM ${tableIn(schema, 'interchanges')} WHERE id = $1`, values: [id] };
}

/** A file's interchanges; `range`: only those that start in these bytes. */
export function listInterchanges(schema: string, fileId: number, range?: ByteRange): Plan {
  return {
    text: `SELECT ${INTERCHANGE_COLUMNS} FROM ${tableIn(schema, 'interchanges')} WHERE file_id = $1${range ? ' AND byte_offset >= $2 AND byte_offset < $3' : ''} ORDER BY byte_offset`,
    values: range ? [fileId, range.from, range.to] : [fileId],
  };
}

export function countInterchanges(schema: string, fileId: number): Plan {
  return { text: `SELECT count(*)::int AS n FROM ${tableIn(schema, 'interchanges')} WHERE file_id = $1`, values: [fileId] };
}

/** Replaces an interchange's findings (e.g. the split adds X12_INTERCHANGE_DUPLICATE once it knows). */
export function setInterchangeFindings(schema: string, id: number, findings: readonly unknown[]): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'interchanges')} SET findings = $2 WHERE id = $1 RETURNING ${INTERCHANGE_COLUMNS}`,
    values: [id, json(findings)],
  };
}

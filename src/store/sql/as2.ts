// Plans over as2_messages (migration 19): AS2 messages received and sent, and their MDNs.
import { tableIn } from '../identifiers.js';
import { json, type Plan } from './plan.js';

export const AS2_COLUMNS =
  'id, direction, partner, as2_from, as2_to, message_id, state, reason, headers, file_id, outbound_id, mic, mic_algorithm, mdn_mode, mdn_url, mdn_content_type, mdn_body, mdn_disposition, mdn_state, mdn_attempts, mdn_next_at, mdn_due_at, created_at, updated_at';

export type As2Direction = 'in' | 'out';
export type As2State = 'processed' | 'rejected' | 'sending' | 'awaiting-mdn' | 'delivered' | 'mdn-error' | 'mdn-overdue';
export type MdnMode = 'sync' | 'async' | 'none';

/** A message received: kept whole, with the MDN answered (or to send, when asynchronous). */
export interface NewInboundAs2Message {
  partner: string | null;
  from: string;
  to: string;
  messageId: string;
  state: 'processed' | 'rejected';
  reason?: string | null;
  headers: Record<string, string>;
  body: Uint8Array;
  fileId?: number | null;
  mic?: { value: string; algorithm: string } | null;
  mdnMode: MdnMode;
  mdnUrl?: string | null;
  mdn?: { contentType: string; body: Uint8Array; disposition: string } | null;
}

/** Inserts a received message; no row back when this Message-ID from this sender to us is there already. */
export function insertInboundAs2Message(schema: string, m: NewInboundAs2Message): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'as2_messages')}
             (direction, partner, as2_from, as2_to, message_id, state, reason, headers, body, file_id, mic, mic_algorithm,
              mdn_mode, mdn_url, mdn_content_type, mdn_body, mdn_disposition, mdn_state, mdn_next_at)
           VALUES ('in', $1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                   CASE WHEN $12 = 'async' AND $15::bytea IS NOT NULL THEN 'pending' END,
                   CASE WHEN $12 = 'async' AND $15::bytea IS NOT NULL THEN now() END)
           ON CONFLICT (direction, as2_from, as2_to, message_id) DO NOTHING
           RETURNING ${AS2_COLUMNS}`,
    values: [
      m.partner, m.from, m.to, m.messageId, m.state, m.reason ?? null, json(m.headers), m.body, m.fileId ?? null,
      m.mic?.value ?? null, m.mic?.algorithm ?? null, m.mdnMode, m.mdnUrl ?? null, m.mdn?.contentType ?? null, m.mdn?.body ?? null, m.mdn?.disposition ?? null,
    ],
  };
}

/** One message by its sender's Message-ID. */
export function findAs2Message(schema: string, k: { direction: As2Direction; from: string; to: string; messageId: string }): Plan {
  return {
    text: `SELECT ${AS2_COLUMNS} FROM ${tableIn(schema, 'as2_messages')} WHERE direction = $1 AND as2_from = $2 AND as2_to = $3 AND message_id = $4`,
    values: [k.direction, k.from, k.to, k.messageId],
  };
}

/** A received message's body as it came (downloads, the console). */
export function as2MessageBody(schema: string, id: number): Plan {
  return { text: `SELECT body FROM ${tableIn(schema, 'as2_messages')} WHERE id = $1`, values: [id] };
}

/** Asynchronous MDNs due to be sent, locked for this sweep (other processes skip them). */
export function lockDueAsyncMdns(schema: string, limit: number): Plan {
  return {
    text: `SELECT ${AS2_COLUMNS} FROM ${tableIn(schema, 'as2_messages')}
           WHERE mdn_state = 'pending' AND mdn_next_at <= now()
           ORDER BY mdn_next_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    values: [limit],
  };
}

/** Pushes an asynchronous MDN's next try out while it is being sent (a dead sender's try is taken again then). */
export function leaseAsyncMdn(schema: string, id: number, seconds: number): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')}
           SET mdn_attempts = mdn_attempts + 1, mdn_next_at = now() + $2::float8 * interval '1 second', updated_at = now()
           WHERE id = $1 RETURNING mdn_attempts`,
    values: [id, seconds],
  };
}

/** The outcome of one try of an asynchronous MDN: sent, or the next try (failed for good when `fail`). */
export function recordAsyncMdnTry(schema: string, t: { id: number; sent: boolean; reason?: string | null; delaySeconds?: number; fail?: boolean }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')}
           SET mdn_state = CASE WHEN $2 THEN 'sent' WHEN $5 THEN 'failed' ELSE 'pending' END,
               mdn_next_at = CASE WHEN $2 OR $5 THEN NULL ELSE now() + $4::float8 * interval '1 second' END,
               reason = CASE WHEN $2 THEN reason ELSE $3 END, updated_at = now()
           WHERE id = $1`,
    values: [t.id, t.sent, t.reason ?? null, t.delaySeconds ?? 0, t.fail ?? false],
  };
}

/** A repeat of a message whose MDN went asynchronously: the same MDN goes again, now. */
export function requeueAsyncMdn(schema: string, id: number): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')}
           SET mdn_state = 'pending', mdn_next_at = now(), mdn_attempts = 0, updated_at = now()
           WHERE id = $1 AND mdn_mode = 'async' AND mdn_body IS NOT NULL`,
    values: [id],
  };
}

/** The newest message sent for a delivery entry (a retry of the entry goes under its Message-ID). */
export function latestOutboundAs2(schema: string, outboundId: number): Plan {
  return {
    text: `SELECT ${AS2_COLUMNS} FROM ${tableIn(schema, 'as2_messages')} WHERE direction = 'out' AND outbound_id = $1 ORDER BY id DESC LIMIT 1`,
    values: [outboundId],
  };
}

export interface NewOutboundAs2Message {
  partner: string;
  from: string;
  to: string;
  messageId: string;
  outboundId: number;
  headers: Record<string, string>;
  body: Uint8Array;
  mic: { value: string; algorithm: string };
  mdnMode: MdnMode;
}

/** A message about to be sent (committed before the POST, so a crash after it resends under the same Message-ID). */
export function insertOutboundAs2Message(schema: string, m: NewOutboundAs2Message): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'as2_messages')}
             (direction, partner, as2_from, as2_to, message_id, state, headers, body, outbound_id, mic, mic_algorithm, mdn_mode)
           VALUES ('out', $1, $2, $3, $4, 'sending', $5::jsonb, $6, $7, $8, $9, $10)
           ON CONFLICT (direction, as2_from, as2_to, message_id) DO UPDATE
             SET headers = EXCLUDED.headers, body = EXCLUDED.body, mic = EXCLUDED.mic, mic_algorithm = EXCLUDED.mic_algorithm,
                 mdn_mode = EXCLUDED.mdn_mode, state = 'sending', reason = NULL, updated_at = now()
           RETURNING ${AS2_COLUMNS}`,
    values: [m.partner, m.from, m.to, m.messageId, json(m.headers), m.body, m.outboundId, m.mic.value, m.mic.algorithm, m.mdnMode],
  };
}

/** A message sent with an asynchronous MDN asked for: awaited until `dueSeconds` from now. */
export function awaitAs2Mdn(schema: string, id: number, dueSeconds: number): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')}
           SET state = 'awaiting-mdn', mdn_due_at = now() + $2::float8 * interval '1 second', updated_at = now()
           WHERE id = $1 AND state = 'sending'`,
    values: [id, dueSeconds],
  };
}

/** The MDN that came back for a message we sent (or none asked: delivered on the HTTP answer). */
export function recordOutboundMdn(schema: string, r: { id: number; state: 'delivered' | 'mdn-error'; reason?: string | null; mdn?: { contentType: string; body: Uint8Array; disposition: string } | null }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')}
           SET state = $2, reason = $3, mdn_content_type = $4, mdn_body = $5, mdn_disposition = $6, updated_at = now()
           WHERE id = $1
           RETURNING ${AS2_COLUMNS}`,
    values: [r.id, r.state, r.reason ?? null, r.mdn?.contentType ?? null, r.mdn?.body ?? null, r.mdn?.disposition ?? null],
  };
}

/** Messages whose asynchronous MDN did not come in time: mdn-overdue, returned once. */
export function markOverdueAs2Mdns(schema: string, limit: number): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'as2_messages')} SET state = 'mdn-overdue', updated_at = now()
           WHERE id IN (SELECT id FROM ${tableIn(schema, 'as2_messages')}
                        WHERE state = 'awaiting-mdn' AND mdn_due_at < now() ORDER BY mdn_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING ${AS2_COLUMNS}`,
    values: [limit],
  };
}

/** The newest messages, both ways, optionally of one partner, one direction, one state (the console, edi as2 list). */
export function listAs2Messages(schema: string, filter: { partner?: string; direction?: As2Direction; state?: As2State; limit: number }): Plan {
  return {
    text: `SELECT ${AS2_COLUMNS}, ${SENT_DOCUMENT(schema)} FROM ${tableIn(schema, 'as2_messages')} m
           WHERE ($1::text IS NULL OR partner = $1) AND ($3::text IS NULL OR direction = $3) AND ($4::text IS NULL OR state = $4)
           ORDER BY created_at DESC, id DESC LIMIT $2`,
    values: [filter.partner ?? null, filter.limit, filter.direction ?? null, filter.state ?? null],
  };
}

/**
 * An event on what a delivery entry carries: the timelines of its business documents (also those of
 * the entry a resend copies), else the file an acknowledgment answers.
 */
export function addDeliveryEvent(schema: string, e: { outboundId: number; message: string; fromState?: string | null; toState?: string | null; details: Record<string, unknown> }): Plan {
  const outbound = tableIn(schema, 'outbound');
  const docs = tableIn(schema, 'outbound_documents');
  return {
    text: `WITH target AS (
             SELECT d.id FROM ${docs} d WHERE d.outbound_id = $1
             UNION
             SELECT d.id FROM ${outbound} r
             JOIN ${outbound} o ON o.source_key = substring(r.source_key FROM '^(.*):resend:[0-9]+$')
             JOIN ${docs} d ON d.outbound_id = o.id
             WHERE r.id = $1)
           INSERT INTO ${tableIn(schema, 'events')} (outbound_document_id, file_id, stage, actor, from_state, to_state, message, details)
           SELECT id, NULL, 'as2', 'system', $4, $5, $2, $3::jsonb FROM target
           UNION ALL
           SELECT NULL, o.file_id, 'as2', 'system', $4, $5, $2, $3::jsonb FROM ${outbound} o WHERE o.id = $1 AND NOT EXISTS (SELECT 1 FROM target)`,
    values: [e.outboundId, e.message, json(e.details), e.fromState ?? null, e.toState ?? null],
  };
}

/**
 * A delivered entry the partner refused afterwards (an asynchronous MDN with an error): sent -> failed,
 * with why; the document it delivered (sent or ack-overdue) goes back to built, as after a refusal on
 * the POST's answer: never delivered, no acknowledgment awaited, replayable. A resend's original keeps
 * its state (it was delivered before). One row: whether the entry failed, and the document's previous state.
 */
export function failSentDelivery(schema: string, id: number, reason: string): Plan {
  const docs = tableIn(schema, 'outbound_documents');
  return {
    text: `WITH entry AS (
             UPDATE ${tableIn(schema, 'outbound')} SET state = 'failed', reason = $2, updated_at = now() WHERE id = $1 AND state = 'sent' RETURNING id),
           back AS (
             UPDATE ${docs} d SET state = 'built', sent_at = NULL, ack_due_at = NULL, updated_at = now()
             FROM ${docs} before
             WHERE before.id = d.id AND d.outbound_id IN (SELECT id FROM entry) AND d.state IN ('sent', 'ack-overdue')
             RETURNING before.state AS previous)
           SELECT EXISTS (SELECT 1 FROM entry) AS failed, (SELECT previous FROM back LIMIT 1) AS document_from`,
    values: [id, reason],
  };
}

/** The document we send (console: /sent/ID) a message we sent carried, if it carried one (not an acknowledgment). */
const SENT_DOCUMENT = (schema: string) =>
  `(SELECT d.id FROM ${tableIn(schema, 'outbound_documents')} d WHERE d.outbound_id = m.outbound_id ORDER BY d.id LIMIT 1) AS sent_document_id`;

/** Every state of a message, as migration 19 allows them (filters, the console's select). */
export const AS2_STATES: readonly As2State[] = ['processed', 'rejected', 'sending', 'awaiting-mdn', 'delivered', 'mdn-error', 'mdn-overdue'];

/** One message by its id, with the size of its body (the body itself: as2MessageBody). */
export function getAs2Message(schema: string, id: number): Plan {
  return {
    text: `SELECT ${AS2_COLUMNS}, octet_length(body) AS body_bytes, ${SENT_DOCUMENT(schema)} FROM ${tableIn(schema, 'as2_messages')} m WHERE id = $1`,
    values: [id],
  };
}

/**
 * What the as2-mdn alert rule lists (docs/alerts.md#rules), the oldest first: messages we sent that are
 * mdn-overdue or refused (mdn-error) and that no later message of the same delivery (a retry of the
 * entry, or an edi resend of it) followed; asynchronous MDNs we owe that failed for good.
 */
export function as2MdnProblems(schema: string, limit: number): Plan {
  const messages = tableIn(schema, 'as2_messages');
  const outbound = tableIn(schema, 'outbound');
  return {
    text: `SELECT ${AS2_COLUMNS}
           FROM ${messages} m
           WHERE (m.direction = 'in' AND m.mdn_state = 'failed')
              OR (m.direction = 'out' AND m.state IN ('mdn-overdue', 'mdn-error') AND NOT EXISTS (
                    SELECT 1 FROM ${messages} l
                    JOIN ${outbound} lo ON lo.id = l.outbound_id
                    JOIN ${outbound} o ON o.id = m.outbound_id
                    WHERE l.direction = 'out' AND l.id > m.id
                      AND (l.outbound_id = m.outbound_id OR coalesce(substring(lo.source_key FROM '^(.*):resend:[0-9]+$'), lo.source_key)
                        = coalesce(substring(o.source_key FROM '^(.*):resend:[0-9]+$'), o.source_key))))
           ORDER BY m.updated_at, m.id LIMIT $1`,
    values: [limit],
  };
}

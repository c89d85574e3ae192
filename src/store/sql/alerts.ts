// Plans for the alert rules' reads (the business promises; the dashboard's plans serve the rest)
// and for the digests' state (migration 17). What each rule means: docs/alerts.md#rules.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

/** States of a received document that neither wait for a person nor were set aside. */
const LIVE = `('parsed', 'validated', 'mapped', 'posting', 'posted')`;

/**
 * Received 850s recorded before `before` for which no 855 with their PO number was sent to the same
 * partner (outbound_documents.po_number, migration 15): the oldest first.
 */
export function ordersWithoutAck(schema: string, before: Date, limit: number): Plan {
  return {
    text: `SELECT d.id, f.partner, d.po_number, d.state, d.created_at
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           WHERE d.set_id = '850' AND d.state IN ${LIVE} AND d.created_at < $1 AND d.po_number IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM ${tableIn(schema, 'outbound_documents')} o
                             WHERE o.set_id = '855' AND o.partner = f.partner AND o.po_number = d.po_number AND o.sent_at IS NOT NULL)
           ORDER BY d.created_at, d.id LIMIT $2`,
    values: [before, limit],
  };
}

/**
 * 856s the Odoo poller made for a shipment (a done delivery) before `before` and not sent (held, or
 * built and waiting), unless a later generation of the same shipment was sent: the oldest first.
 */
export function shipmentsWithoutNotice(schema: string, before: Date, limit: number): Plan {
  return {
    text: `SELECT o.id, o.partner, o.source_name, o.po_number, o.state, o.reason, o.created_at
           FROM ${tableIn(schema, 'outbound_documents')} o
           WHERE o.set_id = '856' AND o.sent_at IS NULL AND o.state IN ('held', 'built') AND o.created_at < $1
             AND NOT EXISTS (SELECT 1 FROM ${tableIn(schema, 'outbound_documents')} s
                             WHERE s.source_model = o.source_model AND s.source_id = o.source_id AND s.set_id = '856' AND s.sent_at IS NOT NULL)
           ORDER BY o.created_at, o.id LIMIT $2`,
    values: [before, limit],
  };
}

/**
 * Received 810s posted as a draft vendor bill whose three-way match found mismatches (the posting
 * event's details.result.mismatches, src/odoo/postings/vendor-bill-810.ts), unless a later 810 of the
 * same partner and invoice number posted without any: the oldest first.
 */
export function invoiceMismatches(schema: string, limit: number): Plan {
  const posted = (doc: string) => `(SELECT e.details->'result'->'mismatches' FROM ${tableIn(schema, 'events')} e
                             WHERE e.document_id = ${doc}.id AND e.to_state = 'posted' ORDER BY e.id DESC LIMIT 1)`;
  return {
    text: `SELECT d.id, f.partner, d.number, d.po_number, d.updated_at, jsonb_array_length(m.mismatches) AS mismatches
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           CROSS JOIN LATERAL (SELECT ${posted('d')} AS mismatches) m
           WHERE d.set_id = '810' AND d.state = 'posted' AND jsonb_typeof(m.mismatches) = 'array' AND jsonb_array_length(m.mismatches) > 0
             AND NOT EXISTS (SELECT 1 FROM ${tableIn(schema, 'documents')} later JOIN ${tableIn(schema, 'files')} lf ON lf.id = later.file_id
                             WHERE later.set_id = '810' AND later.state = 'posted' AND later.id > d.id AND lf.partner = f.partner
                               AND later.number = d.number AND coalesce(jsonb_array_length(${posted('later')}), 0) = 0)
           ORDER BY d.updated_at, d.id LIMIT $1`,
    values: [limit],
  };
}

/**
 * Claims a rule's digest at `now` when its last one went out at or before `notAfter` (or never):
 * a row back means this process sends it; `previous` undoes the claim when nothing could be sent.
 */
export function claimDigest(schema: string, c: { rule: string; now: Date; notAfter: Date; items: number }): Plan {
  const t = tableIn(schema, 'alert_state');
  return {
    text: `WITH prev AS (SELECT last_digest_at FROM ${t} WHERE rule = $1)
           INSERT INTO ${t} AS s (rule, last_digest_at, items) VALUES ($1, $2, $4)
           ON CONFLICT (rule) DO UPDATE SET last_digest_at = excluded.last_digest_at, items = excluded.items
             WHERE s.last_digest_at <= $3
           RETURNING (SELECT last_digest_at FROM prev) AS previous`,
    values: [c.rule, c.now, c.notAfter, c.items],
  };
}

/** Undoes a claim (no channel took the message): the rule's previous digest time, or none. */
export function releaseDigest(schema: string, c: { rule: string; claimedAt: Date; previous: Date | null }): Plan {
  const t = tableIn(schema, 'alert_state');
  return c.previous
    ? { text: `UPDATE ${t} SET last_digest_at = $3 WHERE rule = $1 AND last_digest_at = $2`, values: [c.rule, c.claimedAt, c.previous] }
    : { text: `DELETE FROM ${t} WHERE rule = $1 AND last_digest_at = $2`, values: [c.rule, c.claimedAt] };
}

export function lastDigest(schema: string, rule: string): Plan {
  return { text: `SELECT last_digest_at FROM ${tableIn(schema, 'alert_state')} WHERE rule = $1`, values: [rule] };
}

/** The items a rule's digests listed, with when last. */
export function listAlertLog(schema: string, rule: string): Plan {
  return { text: `SELECT item, partner, first_sent_at, last_sent_at FROM ${tableIn(schema, 'alert_log')} WHERE rule = $1`, values: [rule] };
}

export function recordAlertItems(schema: string, c: { rule: string; items: readonly { item: string; partner: string | null }[]; at: Date }): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'alert_log')} AS l (rule, item, partner, first_sent_at, last_sent_at)
           SELECT $1, t.item, t.partner, $4, $4 FROM unnest($2::text[], $3::text[]) AS t(item, partner)
           ON CONFLICT (rule, item) DO UPDATE SET last_sent_at = excluded.last_sent_at`,
    values: [c.rule, c.items.map((i) => i.item), c.items.map((i) => i.partner), c.at],
  };
}

/** Forgets the items of a rule that are no longer open: one that opens again is new again. */
export function forgetClosedAlertItems(schema: string, c: { rule: string; open: readonly string[] }): Plan {
  return { text: `DELETE FROM ${tableIn(schema, 'alert_log')} WHERE rule = $1 AND NOT (item = ANY($2::text[]))`, values: [c.rule, c.open] };
}

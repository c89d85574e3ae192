// Migration 17: alert digests (docs/alerts.md).
// - alert_state: per rule, when its last digest went out: at most one message per rule per period,
//   claimed by an UPDATE so that two gateway processes never both send it;
// - alert_log: the items a rule's digests listed and when last: an item is listed again only when it
//   is still open after the rule's repeat period; an item no longer open is forgotten.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const alerts: Migration = {
  version: 17,
  description: 'alert_state and alert_log: alert digests per rule, the items they listed',
  up: [
    `CREATE TABLE alert_state (
       rule text PRIMARY KEY,
       last_digest_at timestamptz NOT NULL,
       items integer NOT NULL DEFAULT 0
     )`,
    `CREATE TABLE alert_log (
       rule text NOT NULL,
       item text NOT NULL,
       partner text,
       first_sent_at timestamptz NOT NULL,
       last_sent_at timestamptz NOT NULL,
       PRIMARY KEY (rule, item)
     )`,
  ],
};

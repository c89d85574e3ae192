// Plans for PostgreSQL's LISTEN/NOTIFY, which wakes the stage loops and the delivery loop at commit.
import { quoteIdent } from '../identifiers.js';
import type { Plan } from './plan.js';

/** NOTIFY `channel` once per payload; inside a transaction the notifications go out at its commit. */
export function notify(channel: string, payloads: readonly string[]): Plan {
  return { text: 'SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', values: [channel, [...payloads]] };
}

/** LISTEN takes no bind parameters: the channel is quoted as an identifier. */
export function listen(channel: string): Plan {
  return { text: `LISTEN ${quoteIdent(channel)}`, values: [] };
}

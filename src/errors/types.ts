// Shapes shared by every error catalog of the gateway (see ./catalog.ts).

/** Acknowledgment codes a finding feeds, so the 997/999/TA1 writers need no second mapping table. */
export interface AckCodes {
  /** TA105 interchange note code (000-031). */
  ta1?: string;
  /** AK905/AK906.. functional group syntax error code. */
  ak9?: string;
  /** AK502/IK502.. transaction set syntax error code. */
  ak5?: string;
  /** AK304/IK304 segment syntax error code. */
  ak3?: string;
  /** AK403/IK403 element syntax error code. */
  ak4?: string;
}

/**
 * What the gateway does about a failure with this code: transient, the same thing later may succeed
 * without anyone acting (retry with backoff); business, a person must change data or configuration
 * (the document is rejected, no retry); auth, credentials, keys or rights (retried, so a fixed
 * configuration picks the work up); protocol, our request or the peer is not what we expect (a
 * missing module, an unexpected answer, a database of a newer gateway: retried like transient, and
 * said to whoever runs the gateway).
 */
export type RetryPolicy = 'transient' | 'business' | 'auth' | 'protocol';

/** What a finding is about: decides where it is acknowledged and what it rejects. */
export type Scope = 'file' | 'interchange' | 'group' | 'transaction' | 'segment' | 'element' | 'document' | 'config' | 'connection';

/**
 * What helps a document rejected or failed with this code (src/errors/remedy.ts): `partner`, only a
 * corrected file from the partner (a replay would find the same); `replay`, a fix here (Odoo data, a
 * product mapping, the partner file, the settings), then a replay; `wait`, the gateway retries on its
 * own; `none`, nothing to do. Most codes leave it out and get the one their scope and retry imply.
 */
export type Remedy = 'partner' | 'replay' | 'wait' | 'none';

export interface CatalogEntry {
  /** Default severity; a partner setting may lower some errors to warnings (e.g. a variable-width ISA). */
  severity: 'error' | 'warning';
  scope: Scope;
  /** One line: what went wrong, in plain language. */
  meaning: string;
  /** One line: what a person does about it. */
  fix: string;
  /** For operational failures: what the gateway does about one (see RetryPolicy); findings have none. */
  retry?: RetryPolicy;
  ack?: AckCodes;
  /** Only where the one implied by scope and retry is wrong (see Remedy). */
  remedy?: Remedy;
}

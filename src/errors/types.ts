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

/** What a finding is about: decides where it is acknowledged and what it rejects. */
export type Scope = 'file' | 'interchange' | 'group' | 'transaction' | 'segment' | 'element' | 'document' | 'config';

export interface CatalogEntry {
  /** Default severity; a partner setting may lower some errors to warnings (e.g. a variable-width ISA). */
  severity: 'error' | 'warning';
  scope: Scope;
  /** One line: what went wrong, in plain language. */
  meaning: string;
  /** One line: what a person does about it. */
  fix: string;
  /** Whether retrying the same input later can succeed (transient) or not. */
  retryable?: boolean;
  ack?: AckCodes;
}

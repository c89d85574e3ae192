// What a partner wants back for what it sends us (docs/x12.md#which-one-997-or-999, docs/x12.md#ta1-and-isa14).
// 997 versus 999 is a partner setting, not a version rule.

export interface AckPolicy {
  /** Functional acknowledgment: 997 (the default), 999 (HIPAA-style, opt-in) or none. */
  kind: '997' | '999' | 'none';
  /**
   * When to send a TA1:
   * - 'requested': when ISA14 = 1, or when the interchange has envelope errors (the default);
   * - 'on-error': only when the interchange has envelope errors, whatever ISA14 says;
   * - 'always': for every interchange;
   * - 'never': not even for a rejected interchange (which then gets no acknowledgment at all).
   */
  ta1: 'requested' | 'on-error' | 'always' | 'never';
  /** AK2..AK5 for every transaction set, or only for the sets with errors. */
  detail: 'all-sets' | 'errors-only';
}

export const defaultAckPolicy: Readonly<AckPolicy> = Object.freeze({ kind: '997', ta1: 'requested', detail: 'all-sets' });

/** A partial policy (e.g. from a partner file) completed with the defaults. */
export function ackPolicy(partial: Partial<AckPolicy> = {}): AckPolicy {
  return { ...defaultAckPolicy, ...partial };
}

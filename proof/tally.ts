// What the proof counts, as pure functions: a transaction is known by its business key (the PO
// number of the 850s the scenarios send); the target's ledger says how often each key was posted.
// lost = keys sent but never posted (or whose document did not end posted); duplicated = postings
// beyond the first of a key. Both must be 0 after recovery.

export interface ProofResult {
  scenario: string;
  /** Distinct files the partner sent. */
  files: number;
  /** Distinct transactions (business keys) in them. */
  transactions: number;
  lost: number;
  duplicated: number;
  /** From the end of the fault to the last transaction posted; null when not everything posted in time. */
  recoverSeconds: number | null;
  notes: string;
}

export interface Tally {
  lost: number;
  duplicated: number;
  /** The keys behind the counts (a few, for the notes). */
  lostKeys: string[];
  duplicatedKeys: string[];
}

/**
 * `expected`: every key sent; `postings`: one entry per posting the target holds (a key twice = posted
 * twice); `settled`: keys whose document ended `posted` (a posting whose document did not is lost work).
 */
export function tally(expected: Iterable<string>, postings: Iterable<string>, settled?: ReadonlySet<string>): Tally {
  const counts = new Map<string, number>();
  for (const key of postings) counts.set(key, (counts.get(key) ?? 0) + 1);
  const lostKeys: string[] = [];
  for (const key of new Set(expected)) {
    if (!counts.has(key) || (settled && !settled.has(key))) lostKeys.push(key);
  }
  const duplicatedKeys = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
  const duplicated = duplicatedKeys.reduce((sum, key) => sum + counts.get(key)! - 1, 0);
  return { lost: lostKeys.length, duplicated, lostKeys, duplicatedKeys };
}

/** The result table, one row per scenario, columns aligned. */
export function formatTable(results: readonly ProofResult[]): string {
  const head = ['scenario', 'files', 'transactions', 'lost', 'duplicated', 'recover s', 'notes'];
  const rows = results.map((r) => [r.scenario, String(r.files), String(r.transactions), String(r.lost), String(r.duplicated), r.recoverSeconds === null ? 'never' : r.recoverSeconds.toFixed(1), r.notes]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A sample of keys for a note: "3 (PO1, PO2, PO3)". */
export function someKeys(keys: readonly string[], max = 3): string {
  return keys.length === 0 ? '0' : `${keys.length} (${keys.slice(0, max).join(', ')}${keys.length > max ? ', ...' : ''})`;
}

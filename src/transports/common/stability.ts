// "Take a file only once it stopped changing": two looks at least `settleMs` apart that agree on
// size and mtime. One tracker per mailbox, fed by every listing.
//
//   const stable = new StabilityTracker(5000);
//   for (const f of listing) if (stable.look(f.name, f) === 'stable') take(f);
//   stable.keepOnly(listing.map((f) => f.name));     // forget files that went away
export interface FileLook {
  size: number;
  mtimeMs: number;
}

interface Seen extends FileLook {
  at: number;
}

export class StabilityTracker {
  readonly #seen = new Map<string, Seen>();

  constructor(
    readonly settleMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Records this look. 'stable' when an earlier look at least settleMs ago saw the same size and
   * mtime; otherwise 'pending' (a new or changed file starts its wait again).
   */
  look(name: string, file: FileLook): 'stable' | 'pending' {
    const now = this.clock();
    // No settle time configured: every file is taken at first sight (partners that rename into place).
    if (this.settleMs <= 0) return 'stable';
    const before = this.#seen.get(name);
    if (before && before.size === file.size && before.mtimeMs === file.mtimeMs) {
      return now - before.at >= this.settleMs ? 'stable' : 'pending';
    }
    this.#seen.set(name, { size: file.size, mtimeMs: file.mtimeMs, at: now });
    return 'pending';
  }

  /** How long our looks have seen the file unchanged (0 when never seen). */
  unchangedForMs(name: string): number {
    const before = this.#seen.get(name);
    return before ? Math.max(0, this.clock() - before.at) : 0;
  }

  /** How long until a pending file can be stable (0 when it is, or unknown). */
  remainingMs(name: string): number {
    const before = this.#seen.get(name);
    return before ? Math.max(0, before.at + this.settleMs - this.clock()) : 0;
  }

  forget(name: string): void {
    this.#seen.delete(name);
  }

  /** Forgets every file not in `present`. */
  keepOnly(present: Iterable<string>): void {
    const keep = new Set(present);
    for (const name of this.#seen.keys()) if (!keep.has(name)) this.#seen.delete(name);
  }

  get size(): number {
    return this.#seen.size;
  }
}

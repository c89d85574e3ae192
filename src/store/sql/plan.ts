// A plan is SQL text and its values: built by pure functions in this folder, run by the repositories.
export interface Plan {
  readonly text: string;
  readonly values: unknown[];
}

/** Collects bind values for plans whose WHERE or SET list depends on the input. */
export class Params {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder ($n). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** jsonb values go as text: node-postgres would turn a JS array into a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** Bytes [from, to) of a file: a part of it (a slice of a large file). */
export interface ByteRange {
  from: number;
  to: number;
}

// zod issues of a partner file -> ConfigErrors worded for people (config-error.ts).
import type { z } from 'zod';
import { configError, valueAt, type KeyPath } from './config-error.js';
import type { IssueParams } from './schema.js';
import type { ConfigError } from './types.js';

export interface IssueContext {
  /** As shown in messages, e.g. 'partners/acme.yaml'. */
  file: string;
  /** The parsed YAML (to quote what was found). */
  raw: unknown;
  /** Line of the key at `path` (or of its nearest parent), when known. */
  lineOf?: (path: KeyPath) => number | undefined;
}

export function issuesToErrors(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigError[] {
  return issues.map((issue) => issueToError(issue, ctx));
}

function issueToError(issue: z.core.$ZodIssue, ctx: IssueContext): ConfigError {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const found = valueAt(ctx.raw, path);
  const line = ctx.lineOf?.(path);
  const base = { file: ctx.file, path, found, ...(line ? { line } : {}) };
  const params = (issue.code === 'custom' ? issue.params : undefined) as IssueParams | undefined;

  if (params?.kind === 'unknown-key') {
    const key = String(path[path.length - 1]);
    const meant = params.aliases?.[key];
    if (meant) {
      return configError({ ...base, expected: `the key ${meant} instead`, hint: `the gateway calls ${key} ${meant}` });
    }
    const near = closest(key, params.allowed ?? []);
    return configError({
      ...base,
      expected: `no key ${key} here: the keys allowed are ${(params.allowed ?? []).join(', ')}`,
      ...(near ? { hint: `did you mean ${near}?` } : {}),
    });
  }
  if (params?.kind === 'literal-secret') {
    return configError({ ...base, expected: issue.message, hint: 'secrets never go into partner files: name an environment variable or a file that holds it' });
  }
  // YAML reads unquoted digits as a number (and drops leading zeros): say so when a text was expected.
  const numberForText = issue.code === 'invalid_type' && issue.expected === 'string' && typeof found === 'number';
  return configError({
    ...base,
    expected: issue.message,
    ...(numberForText ? { hint: "put it in quotes: unquoted digits are read as a number, without leading zeros" } : {}),
  });
}

/** An allowed key within two edits of `key` (a typo), or one differing only in case. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of allowed) {
    const d = name.toLowerCase() === key.toLowerCase() ? 0 : distance(key, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}


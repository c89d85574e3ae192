// SQL only with parameters: a static check of src/. Every SQL statement is a string literal; what a
// template literal interpolates into SQL must be an identifier (tableIn, quoteIdent), a fixed
// fragment (a column list constant, a where clause of placeholders) or a placeholder (Params.add),
// never a value; no SQL literal is joined to anything with +; and SQL lives in src/store/sql and
// src/store/schema, besides the few fixed statements of the connection code listed below.
// A new interpolation fails here until it is added to FRAGMENTS after checking that it builds SQL
// only from constants and placeholders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Starts like a statement, or holds the clauses only SQL has. */
const SQL = /^\s*(?:BEGIN|COMMIT|ROLLBACK)\s*$|^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|ROLLBACK|SAVEPOINT|RELEASE|SET|LOCK|NOTIFY|LISTEN|UNLISTEN|TRUNCATE)\s+\S|\b(?:SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|ON\s+CONFLICT)\b/;

interface Literal {
  file: string;
  line: number;
  kind: '`' | "'" | '"';
  text: string;
  /** Source text around it, to see what it is joined to. */
  before: string;
  after: string;
}

/** String literals of a TypeScript source (comments skipped; nested templates read as text). */
function literals(file: string, source: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  const lineAt = (at: number) => source.slice(0, at).split('\n').length;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') { i = source.indexOf('\n', i); if (i < 0) break; continue; }
    if (c === '/' && source[i + 1] === '*') { i = source.indexOf('*/', i) + 2; continue; }
    if (c === '`' || c === "'" || c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < source.length) {
        const d = source[j]!;
        if (d === '\\') { j += 2; continue; }
        if (c === '`' && d === '$' && source[j + 1] === '{') { depth++; j += 2; continue; }
        if (c === '`' && depth > 0 && d === '}') { depth--; j++; continue; }
        if (d === c && depth === 0) break;
        if (c !== '`' && d === '\n') break;
        j++;
      }
      out.push({ file, line: lineAt(i), kind: c, text: source.slice(i + 1, j), before: source.slice(Math.max(0, i - 30), i), after: source.slice(j + 1, j + 31) });
      i = j + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** Interpolations of a template literal, as written (`${ ... }` bodies, nested braces kept). */
function interpolations(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i + 1)) {
    let depth = 1;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
    }
    out.push(text.slice(i + 2, j - 1).trim());
  }
  return out;
}

/** Interpolations that never carry a value, whatever the input. */
const SAFE: RegExp[] = [
  /^tableIn\((?:schema|this\.schema|s), '[a-z0-9_]+'\)$/, // a schema-qualified table: quoted identifiers
  /^quoteIdent\(\w+\)$/, // a quoted identifier
  /^p\.add\([\s\S]*\)$/, // a placeholder ($n): the value goes into `values`
  /^whereClause\(\w+\)$/, // conditions of placeholders, joined with AND
  /^[A-Z][A-Z0-9_]*(?:\('(?:[a-z]|\$\d+)'\))?(?:\.join\(', '\))?$/, // fixed column lists and fragments (constants), of an alias or a placeholder
];

/** Local fragments, per file: each checked to be built from constants, identifiers and placeholders only. */
const FRAGMENTS: Readonly<Record<string, readonly string[]>> = {
  // `quoted` is quoteIdent(schema) (checkSchemaName first).
  'src/store/migrations.ts': ['quoted'],
  // documents/jobs: tableIn(...) results; names/sets/input/arrays: column names and placeholders from fixed lists;
  // insert/unnest: statements built the same way; bytes: a fixed column list or ''; column: from a fixed list.
  // range: a fixed condition of placeholders, or nothing (a slice of a large file). only: STATE_COLUMNS,
  // a constant column list (typed as exactly that constant).
  'src/store/sql/documents.ts': ['q', 'files', 'before', 'columns', 'order', 'whereClause([...where, ...partner])', 'only', "only ?? '*'", "t.only ?? COLUMNS.join(', ')", "only ?? COLUMNS.join(', ')", "range ? ' AND byte_offset >= $2 AND byte_offset < $3' : ''", 'documents', 'insert', 'unnest', "names.join(', ')", "input.join(', ')", "sets.join(',\\n               ')", 'bytes', 'column', "columns('d')", 't.countAttempt ? 1 : 0', 'leaseGuard(t.lease, p)'],
  'src/store/sql/postings.ts': ['documents', "input.join(', ')"],
  'src/store/sql/events.ts': ["arrays.join(', ')"],
  // schema: quoteIdent(checkSchemaName(...)) of pg-boss's schema.
  'src/store/sql/sweep.ts': ['jobs', 'schema'],
  // Either the placeholder $6 or the large object its value names: fixed fragments.
  // FILE_LOCKS[holder]: one of three fixed lock clauses, chosen by a typed holder.
  'src/store/sql/files.ts': ["largeObject === undefined ? '$6' : 'lo_get($6::oid)'", 'FILE_LOCKS[holder]'],
  // columns: unnest() arguments, each a placeholder with its type (col()); range as in documents.ts.
  'src/store/sql/interchanges.ts': ["columns.join(', ')", "range ? ' AND byte_offset >= $2 AND byte_offset < $3' : ''"],
  // next(expr): the backoff expression of a fixed SQL fragment, with placeholders.
  'src/store/sql/partners.ts': ["next('1')", "next('(h.consecutive_failures + 1)')", "filter.limit !== undefined ? `LIMIT ${p.add(filter.limit)}` : ''"],
  'src/store/sql/notify.ts': ['quoteIdent(channel)'],
  // Each of these is a table name, a constant column list, a fixed keyword or a list of `col = $n` built from placeholders.
  'src/store/sql/access.ts': ["lock ? ' FOR UPDATE' : ''", "set.join(', ')", 'SESSION_JOIN(schema)', "USER_COLUMNS.split(', ').join(', u.')", 't', 'event', "tl ? '(SELECT id FROM ev)' : 'NULL'"],
  'src/store/sql/outbound-documents.ts': ['docs', 'due', 'dueBy'],
  'src/store/sql/alerts.ts': ['doc', "posted('d')", "posted('later')", 't'],
  'src/store/sql/delivery.ts': ['outbound'],
  // docs/outbound/messages: tableIn(...) results; SENT_DOCUMENT(schema): a constant subquery over tableIn(schema, ...).
  'src/store/sql/as2.ts': ['docs', 'outbound', 'messages', 'SENT_DOCUMENT(schema)'],
  'src/store/sql/replays.ts': ['list.text', "BATCH_COLUMNS.split(', ').map((c) => `b.${c}`).join(', ')", 'c'],
};

/** Files outside src/store/sql and src/store/schema that may hold SQL: fixed statements of the connection code. */
const SQL_OUTSIDE_PLANS = new Set(['src/store/conn.ts', 'src/store/migrations.ts', 'src/store/database.ts', 'src/store/postings-repo.ts']);

const sqlLiterals = tsFiles(SRC).flatMap((path) => literals(relative(ROOT, path), readFileSync(path, 'utf8'))).filter((l) => SQL.test(l.text));
const where = (l: Literal) => `${l.file}:${l.line}`;

describe('SQL in src/', () => {
  it('is found (the scan sees the plans)', () => {
    expect(sqlLiterals.length).toBeGreaterThan(80);
    expect(sqlLiterals.some((l) => l.file === 'src/store/sql/files.ts' && l.text.includes('INSERT INTO'))).toBe(true);
  });

  it('interpolates only identifiers, fixed fragments and placeholders, never a value', () => {
    const unsafe = sqlLiterals.flatMap((l) =>
      l.kind !== '`' ? [] : interpolations(l.text).filter((e) => !SAFE.some((r) => r.test(e)) && !(FRAGMENTS[l.file] ?? []).includes(e)).map((e) => `${where(l)}: \${${e}}`),
    );
    expect(unsafe).toEqual([]);
  });

  it('is never joined to anything with +', () => {
    const joined = sqlLiterals.filter((l) => /\+\s*$/.test(l.before) || /^\s*\+/.test(l.after)).map(where);
    expect(joined).toEqual([]);
  });

  it('lives in src/store/sql and src/store/schema (and the fixed statements of the connection code)', () => {
    const outside = sqlLiterals.filter((l) => !/^src\/store\/(sql|schema)\//.test(l.file) && !SQL_OUTSIDE_PLANS.has(l.file)).map((l) => `${where(l)}: ${l.text.slice(0, 60)}`);
    expect(outside).toEqual([]);
  });

  it('the check itself catches an interpolated value and a concatenation', () => {
    const bad = literals('x.ts', "const a = `SELECT * FROM t WHERE id = ${input.id}`;\nconst b = 'DELETE FROM t WHERE name = ' + name;");
    expect(bad.filter((l) => SQL.test(l.text)).map((l) => interpolations(l.text))).toEqual([['input.id'], []]);
    expect(bad.filter((l) => /^\s*\+/.test(l.after))).toHaveLength(1);
    expect(SAFE.some((r) => r.test('input.id'))).toBe(false);
  });
});

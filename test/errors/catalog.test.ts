import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalog } from '../../src/errors/catalog.js';
import { renderErrorsDoc } from '../../src/errors/render-doc.js';

const root = join(import.meta.dirname, '..', '..');
const CODE_TABLES = join(root, 'src', 'errors', 'codes');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The sources that use codes: all of src/ but the tables that define them. */
const users = sources(join(root, 'src')).filter((f) => !f.startsWith(CODE_TABLES));
const text = (files: readonly string[]) => files.map((f) => readFileSync(f, 'utf8')).join('\n');

/** A code-shaped string literal: upper-case words joined by underscores. */
const CODE = String.raw`['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]`;

/**
 * Code-shaped literals where a code stands: the first argument of finding(), of a reporter's helper
 * (this.problem, report.add, ackFinding ...), of a constructor (a GatewayError and its subclasses)
 * or super(); after `code:`, `code =` or `code ===`; a ternary's branch, a member of a union of
 * codes, a returned code. Names of settings (env['ODOO_URL'], a list of them, a helper's argument,
 * `{ setting: 'DATABASE_POOL_SIZE' }`) stand elsewhere. Tables of codes (`{ closed: 'SFTP_...' }`)
 * are typed with the code type, so the compiler checks those.
 */
const CODE_POSITION = new RegExp(
  // A lookbehind, so that a literal also counts as the context of the next ('A' : 'B', 'A' | 'B').
  String.raw`(?<=(?:\bfinding|Finding|\bproblem|\breport|\badd|\bnew \w+|\bsuper)\(\s*|\bcode\s*(?:[:=]|[!=]==?)\s*|\?\s*|['"]\s*:\s*|(?<!\|)\|(?!\|)\s*|\breturn\s+)${CODE}`,
  'g',
);

function codeLiterals(source: string): Set<string> {
  return new Set([...source.matchAll(CODE_POSITION)].map((m) => m[1]!));
}

describe('error catalog', () => {
  it('docs/errors.md is generated from the catalog (run npm run docs:errors)', () => {
    expect(readFileSync(join(root, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('lists every code once in docs/errors.md', () => {
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    for (const code of Object.keys(catalog)) {
      expect(doc.split(`\`${code}\``).length - 1, code).toBe(1);
    }
  });

  it('finds codes where codes stand, and not the names of environment variables', () => {
    const sample = [
      "findings.push(finding('X12_A', 'm', loc));",
      "this.icFinding('X12_B', 'm'); report.add('MAP_C', seg);",
      "throw new OdooError('ODOO_D', 'm'); super('STORE_E', message);",
      "return { code: 'SFTP_F', message }; if (p.code === 'X12_G') {}",
      "return { code: 'SFTP_H' };",
      "const code = status >= 500 ? 'ODOO_I' : 'ODOO_J'; function f(code: 'X12_K' | 'X12_L') {}",
      "return 'ODOO_M';",
      "const url = env['ODOO_URL']; ['ODOO_DB', 'ODOO_USERNAME'].filter(Boolean); number('ODOO_VERSION', 16);",
      "const problem = { setting: 'DATABASE_POOL_SIZE', value: raw }; const port = env.HTTP_PORT || 'HTTP_PORT_DEFAULT';",
    ].join('\n');
    expect([...codeLiterals(sample)].sort()).toEqual(['MAP_C', 'ODOO_D', 'ODOO_I', 'ODOO_J', 'ODOO_M', 'SFTP_F', 'SFTP_H', 'STORE_E', 'X12_A', 'X12_B', 'X12_G', 'X12_K', 'X12_L']);
  });

  it('every code used in the sources exists in the catalog', () => {
    const unknown = [...codeLiterals(text(users))].filter((c) => !Object.hasOwn(catalog, c));
    expect(unknown).toEqual([]);
  });

  it('every code of the catalog is used in the sources', () => {
    const source = text(users);
    const unused = Object.keys(catalog).filter((c) => !source.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('no code is defined in two tables (the catalog would keep only one), and every table is in the catalog', async () => {
    const defined: string[] = [];
    for (const file of sources(CODE_TABLES)) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const table of Object.values(module)) if (table && typeof table === 'object') defined.push(...Object.keys(table));
    }
    expect(defined.length).toBe(new Set(defined).size);
    expect(defined.sort()).toEqual(Object.keys(catalog).sort());
  });

  it('every code the sources throw as a failure says what the gateway does about it (retry)', () => {
    const thrown = new Set([...text(users).matchAll(new RegExp(String.raw`new (?:GatewayError|\w+Error)\(\s*${CODE}`, 'g'))].map((m) => m[1]!));
    expect(thrown.size).toBeGreaterThan(10);
    const withoutPolicy = [...thrown].filter((c) => !(catalog as Record<string, { retry?: string }>)[c]?.retry);
    expect(withoutPolicy).toEqual([]);
  });

  it('every entry says what it means and how to fix it', () => {
    for (const [code, e] of Object.entries(catalog)) {
      expect(e.meaning.length, code).toBeGreaterThan(10);
      expect(e.fix.length, code).toBeGreaterThan(5);
    }
  });
});

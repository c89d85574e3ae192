import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../src/errors/catalog.js';
import { renderErrorsDoc } from '../../src/errors/render-doc.js';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
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

  it('every code used in the sources exists in the catalog', () => {
    const used = new Set<string>();
    for (const file of sources(join(root, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'((?:X12|MAP|ACK)_[A-Z0-9_]+)'/g)) used.add(m[1] as string);
    }
    const unknown = [...used].filter((c) => !(c in catalog) && c !== 'X12_WRITE_DELIMITER_IN_DATA');
    expect(unknown).toEqual([]);
  });

  it('every entry says what it means and how to fix it', () => {
    for (const [code, e] of Object.entries(catalog)) {
      expect(e.meaning.length, code).toBeGreaterThan(10);
      expect(e.fix.length, code).toBeGreaterThan(5);
    }
  });
});

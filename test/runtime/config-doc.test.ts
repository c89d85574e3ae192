// docs/configuration.md is generated from the schemas (npm run docs:config) and cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDoc, unplacedDefaults, unplacedNotes } from '../../src/runtime/config-doc.js';
import { ENV_NAMES } from '../../src/runtime/env-schema.js';

const doc = readFileSync(join(process.cwd(), 'docs', 'configuration.md'), 'utf8');

describe('configuration reference', () => {
  it('docs/configuration.md is generated from the schemas (run npm run docs:config)', () => {
    expect(doc).toBe(renderConfigDoc());
  });

  it('has a row for every environment variable and for the partner keys, with their defaults', () => {
    for (const name of ENV_NAMES) expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(doc).toMatch(/^\| `HTTP_PORT` \| a port number \(0 to 65535\) \| `8080` \|/m);
    expect(doc).toMatch(/^\| `transport\.port \(sftp\)` \| number \| `22` \|/m);
    expect(doc).toMatch(/^\| `identity\.isa\.qualifier` \| text \| required \|/m);
    expect(doc).toMatch(/^\| `acknowledgments\.kind` \| one of `997`, `999`, `none` \| `997` \|/m);
    expect(doc).toMatch(/^\| `odoo\.units` \| mapping to text \| built-in table of \d+ entries/m);
    expect(doc).toMatch(/^\| `defaults\.maxFileBytes` \| number \| `104857600` \|/m);
  });

  it('places every built-in default and every note on a key of the schema', () => {
    expect(unplacedDefaults()).toEqual([]);
    expect(unplacedNotes()).toEqual([]);
  });
});

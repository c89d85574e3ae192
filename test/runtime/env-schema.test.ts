// The environment's schema (src/runtime/env-schema.ts) lists every variable the sources read, and its
// defaults are those the readers apply, so docs/configuration.md says what the gateway does.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/errors/catalog.js';
import { ENV_NAMES, ENV_READ_OUTSIDE_CODE, envProblems, envSchema } from '../../src/runtime/env-schema.js';
import { runtimeConfig } from '../../src/runtime/config.js';

const root = process.cwd();
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : []));

/**
 * The variable names a source text reads: env.NAME, env['NAME'], and, where a name is read through
 * a variable (env[name]), every quoted NAME_LIKE string of the file that is not an error code.
 */
export function envReadsOf(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\benv\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g)) found.add(m[1]!);
  if (/\benv\[\s*[a-z]\w*\s*\]/.test(text)) {
    for (const m of text.matchAll(/['"`]([A-Z][A-Z0-9]*_[A-Z0-9_]+)['"`]/g)) if (!(m[1]! in catalog)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe('environment schema', () => {
  it('finds the reads of a source text, direct and through a variable', () => {
    expect(envReadsOf("process.env.LOG_FORMAT; env['HTTP_PORT']; opts.env.PARTNERS_DIR; env.dataDir")).toEqual(['HTTP_PORT', 'LOG_FORMAT', 'PARTNERS_DIR']);
    expect(envReadsOf("const n = (name) => env[name]; n('ODOO_VERSION'); throw new GatewayError('ODOO_CONFIG_INVALID', 'x')")).toEqual(['ODOO_VERSION']);
  });

  it('lists every variable a source file reads, and reads none it does not list', () => {
    const reads = new Map<string, string[]>();
    for (const file of [...files(join(root, 'src')), ...files(join(root, 'bin'))]) {
      for (const name of envReadsOf(readFileSync(file, 'utf8'))) reads.set(name, [...(reads.get(name) ?? []), relative(root, file)]);
    }
    const unlisted = [...reads].filter(([name]) => !ENV_NAMES.includes(name)).map(([name, where]) => `${name} (read in ${where.join(', ')})`);
    expect(unlisted, 'add these to src/runtime/env-schema.ts, then npm run docs:config').toEqual([]);
    const unread = ENV_NAMES.filter((name) => !reads.has(name) && !(ENV_READ_OUTSIDE_CODE as readonly string[]).includes(name));
    expect(unread, 'listed in src/runtime/env-schema.ts but read nowhere').toEqual([]);
    // The reads the gateway is known for are found (a broken pattern would find nothing and pass).
    expect([...reads.keys()]).toEqual(expect.arrayContaining(['DATABASE_URL', 'HTTP_PORT', 'ODOO_API_KEY', 'ODOO_VERSION', 'LOG_FORMAT', 'PARTNERS_DIR', 'GS1_COMPANY_PREFIX']));
  });

  it('has the defaults the readers apply', () => {
    const defaults = envSchema.parse({}) as Record<string, string>;
    const config = runtimeConfig({}, {}, 'partners');
    expect(config.http).toEqual({ host: defaults['HTTP_HOST'], port: Number(defaults['HTTP_PORT']) });
    expect(config.stopTimeoutMs).toBe(Number(defaults['STOP_TIMEOUT_SECONDS']) * 1000);
    expect(config.postingLeaseSeconds).toBe(Number(defaults['POSTING_LEASE_SECONDS']));
    expect(config.postingRetryHours).toBe(Number(defaults['POSTING_RETRY_HOURS']));
    expect(config.odooPollSeconds).toBe(Number(defaults['ODOO_POLL_SECONDS']));
    expect(config.heapGrowthPercent).toBe(Number(defaults['HEAP_GROWTH_PERCENT']));
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start']).toContain(`MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-${defaults['MALLOC_ARENA_MAX']}}`);
    expect(scripts['start']).toContain(`MALLOC_MMAP_THRESHOLD_=\${MALLOC_MMAP_THRESHOLD_:-${defaults['MALLOC_MMAP_THRESHOLD_']}}`);
  });

  it('names each badly formed variable with the form it takes, and takes empty as unset', () => {
    expect(envProblems({ HTTP_PORT: '8080', ODOO_API: 'json2', STOP_TIMEOUT_SECONDS: '', PATH: '/usr/bin' })).toEqual([]);
    const problems = envProblems({ HTTP_PORT: '70000', ODOO_API: 'xmlrpc', DATABASE_POOL_SIZE: '1' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([
      'HTTP_PORT: a port number (0 to 65535)',
      expect.stringMatching(/^ODOO_API: .*auto.*jsonrpc.*json2/),
      'DATABASE_POOL_SIZE: a whole number of connections (2 to 1000)',
    ]));
    // The reader refuses what the schema refuses.
    expect(() => runtimeConfig({}, { HTTP_PORT: '70000' }, 'partners')).toThrow(/HTTP_PORT/);
  });
});

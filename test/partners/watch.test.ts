// Reloading partners/: a change (or SIGHUP) puts the new configuration in place as a whole; a
// change with any problem keeps the old one and logs every problem.
import type { Logger } from '../../src/logging/logger.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PartnerConfigError } from '../../src/partners/config-error.js';
import { watchPartners, type PartnerWatcher } from '../../src/partners/watch.js';
import { folderYaml, GATEWAY_YAML, partnersFolder } from './support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function memoryLog(): Logger & { lines: Array<[string, object, string | undefined]> } {
  const lines: Array<[string, object, string | undefined]> = [];
  const log: Logger & { lines: typeof lines } = {
    lines,
    debug: () => undefined,
    child: () => log,
    info: (d, m) => void lines.push(['info', d, m]),
    warn: (d, m) => void lines.push(['warn', d, m]),
    error: (d, m) => void lines.push(['error', d, m]),
  };
  return log;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function setup(options: { watch?: boolean; sighup?: boolean } = {}) {
  const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'a.yaml': folderYaml('AAA', 'a') });
  cleanups.push(f.remove);
  const log = memoryLog();
  const watcher: PartnerWatcher = await watchPartners({ dir: f.dir, env: {}, dataDir: f.root, log, debounceMs: 50, ...options });
  cleanups.push(() => watcher.close());
  return { f, log, watcher };
}

describe('watchPartners', () => {
  it('refuses to start only when the gateway\'s own settings are broken, with every problem', async () => {
    const f = await partnersFolder({ '_gateway.yaml': 'us: 12\n', 'a.yaml': 'mode: prod\n', 'b.yaml': folderYaml('BBB', 'b') });
    cleanups.push(f.remove);
    const error = await watchPartners({ dir: f.dir, env: {}, watch: false, sighup: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerConfigError);
    expect(error).toMatchObject({ code: 'PARTNER_CONFIG_INVALID', policy: 'business', details: { problems: (error as PartnerConfigError).errors.length } });
    const files = (error as PartnerConfigError).errors.map((e) => e.file);
    expect(new Set(files)).toEqual(new Set(['partners/_gateway.yaml', 'partners/a.yaml', 'partners/b.yaml']));
    expect((error as Error).message).toContain('partners/a.yaml: mode: found "prod", expected production or test');
  });

  it('a broken partner file takes only that partner out of service, loudly; fixing it brings it back', async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'a.yaml': folderYaml('AAA', 'a'), 'b.yaml': folderYaml('BBB', 'b', 'mode: prod') });
    cleanups.push(f.remove);
    const log = memoryLog();
    const watcher = await watchPartners({ dir: f.dir, env: {}, dataDir: f.root, log, debounceMs: 50, sighup: false });
    cleanups.push(() => watcher.close());
    expect(watcher.all().map((p) => p.code)).toEqual(['a']);
    expect(watcher.broken()).toEqual([{
      code: 'b', file: `${f.dir}/b.yaml`, display: 'partners/b.yaml',
      errors: [{ file: 'partners/b.yaml', path: 'mode', line: 4, message: 'partners/b.yaml: mode: found "prod", expected production or test [line 4]' }],
    }]);
    const errors = log.lines.filter(([level]) => level === 'error');
    expect(errors).toEqual([
      ['error', { partner: 'b', file: 'partners/b.yaml', key: 'mode', line: 4 }, 'partners/b.yaml: mode: found "prod", expected production or test [line 4]'],
      ['error', { partner: 'b', file: 'partners/b.yaml', problems: 1 }, 'partner b is OUT OF SERVICE: 1 problem(s) in partners/b.yaml (the other partners run; fixing the file brings it back)'],
    ]);

    const changes: unknown[] = [];
    watcher.onChange((c) => changes.push(c));
    await f.write('b.yaml', folderYaml('BBB', 'b', 'mode: test'));
    await until(() => watcher.get('b') !== undefined);
    expect(watcher.get('b')?.mode).toBe('test');
    expect(watcher.broken()).toEqual([]);
    expect(watcher.lastReload()).toEqual({ ok: true, change: { added: ['b'], removed: [], changed: [] } });
    expect(changes).toEqual([{ added: ['b'], removed: [], changed: [] }]);
  });

  it('a reload with a broken _gateway.yaml keeps the previous configuration as a whole', async () => {
    const { f, watcher } = await setup({ sighup: false });
    const before = watcher.get('a');
    await f.write('b.yaml', folderYaml('BBB', 'b'));
    await f.write('_gateway.yaml', 'defaults: { mode: prod }\n');
    await until(() => watcher.lastReload()?.ok === false);
    expect(watcher.lastReload()).not.toHaveProperty('change');
    expect(watcher.all()).toEqual([before]);
  });

  it('a changed file is picked up: added, changed and removed partners, listeners told', async () => {
    const { f, watcher } = await setup({ sighup: false });
    const changes: unknown[] = [];
    watcher.onChange((change) => changes.push(change));
    expect(watcher.all().map((p) => p.code)).toEqual(['a']);

    await f.write('b.yaml', folderYaml('BBB', 'b'));
    await until(() => watcher.get('b') !== undefined);
    expect(changes).toEqual([{ added: ['b'], removed: [], changed: [] }]);

    await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: 1234'));
    await until(() => watcher.get('a')?.maxFileBytes === 1234);
    expect(changes.at(-1)).toEqual({ added: [], removed: [], changed: ['a'] });

    await (await import('node:fs/promises')).rm(`${f.dir}/b.yaml`);
    await until(() => watcher.get('b') === undefined);
    expect(changes.at(-1)).toEqual({ added: [], removed: ['b'], changed: [] });
  });

  it('a change with a problem keeps the old configuration and logs every problem', async () => {
    const { f, log, watcher } = await setup({ sighup: false });
    const before = watcher.get('a');
    const changes: unknown[] = [];
    watcher.onChange((c) => changes.push(c));

    await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: -1\nhots: 1'));
    await until(() => watcher.lastReload()?.ok === false);
    expect(watcher.get('a')).toBe(before);
    expect(watcher.all()).toEqual([before]);
    expect(changes).toEqual([]);
    const errors = log.lines.filter(([level]) => level === 'error').map(([, , m]) => m);
    expect(errors).toEqual([
      expect.stringMatching(/^partners\/a\.yaml: maxFileBytes: found -1 \(a number\), expected a number of bytes/),
      expect.stringMatching(/^partners\/a\.yaml: hots: found 1 \(a number\), expected no key hots here/),
    ]);
    expect(log.lines.some(([level, , m]) => level === 'warn' && /^partner a: 2 problem\(s\) in partners\/a\.yaml: its previous configuration stays in force/.test(m ?? ''))).toBe(true);
    expect(watcher.broken()).toMatchObject([{ code: 'a', previousInForce: true, errors: [{ path: 'maxFileBytes' }, { path: 'hots' }] }]);

    // Fixed: the next change loads.
    await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: 99'));
    await until(() => watcher.get('a')?.maxFileBytes === 99);
    expect(changes).toEqual([{ added: [], removed: [], changed: ['a'] }]);
  });

  it('SIGHUP reloads (without a folder watch)', async () => {
    const { f, watcher } = await setup({ watch: false });
    await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: 4321'));
    process.emit('SIGHUP', 'SIGHUP');
    await until(() => watcher.get('a')?.maxFileBytes === 4321);
    expect(watcher.lastReload()).toEqual({ ok: true, change: { added: [], removed: [], changed: ['a'] } });
    await watcher.close();
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('reload() with nothing changed tells no listener', async () => {
    const { watcher } = await setup({ watch: false, sighup: false });
    let told = 0;
    watcher.onChange(() => told++);
    expect(await watcher.reload()).toEqual({ ok: true, change: { added: [], removed: [], changed: [] } });
    expect(told).toBe(0);
  });
});

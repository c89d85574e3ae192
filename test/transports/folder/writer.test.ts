import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inboundFilter, isTemporaryName } from '../../../src/transports/common/names.js';
import { withSuffix, writeFileExclusive, writeOutbound } from '../../../src/transports/folder/writer.js';
import { folderPartner, folders } from './support.js';

const list = (dir: string) => readdirSync(dir).sort();

describe('outbound files into a folder', () => {
  it("names the file by the partner's pattern and leaves no temporary file", async () => {
    const where = folders();
    const partner = folderPartner(where, { code: 'globex' });
    const result = await writeOutbound(partner, { set: '855', control: 42, now: new Date('2026-11-01T12:00:00Z') }, Buffer.from('ISA*ack~'));
    expect(result).toEqual({ path: join(where.outbox, 'globex_855_000000042_20261101120000.edi'), name: 'globex_855_000000042_20261101120000.edi', bytes: 8 });
    expect(list(where.outbox)).toEqual(['globex_855_000000042_20261101120000.edi']);
    expect(readFileSync(result.path, 'utf8')).toBe('ISA*ack~');
  });

  it('never overwrites a file: a taken name gets -1, -2 before the extension', async () => {
    const where = folders();
    const partner = folderPartner(where);
    mkdirSync(where.outbox, { recursive: true });
    writeFileSync(join(where.outbox, 'out.edi'), 'already there');
    const a = await writeOutbound(partner, 'out.edi', Buffer.from('one'));
    const b = await writeOutbound(partner, 'out.edi', Buffer.from('two'));
    expect([a.name, b.name]).toEqual(['out-1.edi', 'out-2.edi']);
    expect(list(where.outbox)).toEqual(['out-1.edi', 'out-2.edi', 'out.edi']);
    expect(readFileSync(join(where.outbox, 'out.edi'), 'utf8')).toBe('already there');
    expect(withSuffix('noext', 3)).toBe('noext-3');
    expect(withSuffix('a.b.edi', 1)).toBe('a.b-1.edi');
  });

  it('parallel writes of one name each get their own file', async () => {
    const where = folders();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => writeFileExclusive(where.outbox, 'same.edi', Buffer.from(`file ${i}`))));
    expect(new Set(results.map((r) => r.name)).size).toBe(10);
    expect(list(where.outbox)).toHaveLength(10);
    const contents = results.map((r) => readFileSync(r.path, 'utf8')).sort();
    expect(contents).toEqual(Array.from({ length: 10 }, (_, i) => `file ${i}`).sort());
  });

  it('a name with ../, a path or control characters stays inside the outbound folder', async () => {
    const where = folders();
    const partner = folderPartner(where);
    for (const name of ['../../escape.edi', '/etc/passwd', 'a\u0000b\u0007.edi', '..', '.hidden.edi']) {
      const r = await writeOutbound(partner, name, Buffer.from('x'));
      expect(r.path.startsWith(`${where.outbox}/`)).toBe(true);
      expect(r.name).not.toMatch(/[\/\\\u0000-\u001f]|\.\./);
      // Visible to the partner's poller: not a temporary name.
      expect(isTemporaryName(r.name)).toBe(false);
    }
    expect(list(where.root)).toEqual(['out']);
    expect(list(where.outbox)).toHaveLength(5);
  });

  it('refuses a partner without a folder outbound mailbox', async () => {
    const where = folders();
    await expect(writeOutbound(folderPartner(where, { outbound: null }), 'x.edi', Buffer.from('x'))).rejects.toThrow(/no folder outbound mailbox/);
  });

  it('while a large file is written, its final name never shows a partial file and the temporary name is never taken', async () => {
    const where = folders();
    mkdirSync(where.outbox, { recursive: true });
    const size = 48 * 1024 * 1024;
    const takes = inboundFilter({ patterns: ['*'], ignore: [], doneMarker: false });
    const final = join(where.outbox, 'large.edi');
    let done = false;
    const seen: number[] = [];
    const tempNames = new Set<string>();
    const watch = (async () => {
      while (!done) {
        if (existsSync(final)) seen.push(statSync(final).size);
        for (const n of readdirSync(where.outbox)) if (n !== 'large.edi') tempNames.add(n);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await writeFileExclusive(where.outbox, 'large.edi', Buffer.alloc(size, 0x42));
    done = true;
    await watch;
    expect(seen.every((s) => s === size)).toBe(true);
    expect(statSync(final).size).toBe(size);
    expect(tempNames.size).toBeGreaterThan(0);
    for (const n of tempNames) expect(takes(n), n).toBe(false);
    expect(list(where.outbox)).toEqual(['large.edi']);
  });

  it('a writer killed mid-write never leaves a partial file under the final name', { timeout: 60_000 }, async () => {
    const where = folders();
    mkdirSync(where.outbox, { recursive: true });
    const megabytes = 64;
    for (const [i, delayMs] of [0, 15, 40].entries()) {
      const name = `killed-${i}.edi`;
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'writer-child.ts'), where.outbox, name, String(megabytes)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const deadline = Date.now() + 30_000;
      while (!out.includes('writing') && Date.now() < deadline) await sleep(2);
      await sleep(delayMs);
      child.kill('SIGKILL');
      await exited;
      const final = join(where.outbox, name);
      // Either the whole file is there (the write finished first) or nothing under that name.
      if (existsSync(final)) expect(statSync(final).size).toBe(megabytes * 1024 * 1024);
      // What a crash leaves is a temporary name, which no poller takes.
      for (const n of readdirSync(where.outbox)) if (!n.startsWith('killed-')) expect(isTemporaryName(n), n).toBe(true);
    }
  });
});

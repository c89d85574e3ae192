// edi as2 list|show against a real store: newest first, filtered; one message with its MDN
// disposition and headers; --raw and --mdn write exactly the bytes kept (binary included) and
// nothing else to stdout, also as a process; usage errors and unknown ids have their exit codes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { as2ListCommand, as2ShowCommand, type BinaryOutput } from '../../src/cli/commands/as2.js';
import { seedAs2, type SeededAs2 } from '../support/as2-messages.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
let s: SeededAs2;

beforeAll(async () => {
  s = await seedAs2(db);
});

function capture(): BinaryOutput & { stdout: string[]; stderr: string[]; written: Buffer[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const written: Buffer[] = [];
  return { stdout, stderr, written, out: (t) => stdout.push(t), err: (t) => stderr.push(t), bytes: (b) => written.push(Buffer.from(b)), text: () => stdout.join('\n') };
}

describe('edi as2 list', () => {
  it('prints both ways newest first, with partner, Message-ID, state, MDN and what each carries', async () => {
    const io = capture();
    expect(await as2ListCommand(db, {}, io)).toBe(0);
    const [header, ...rows] = io.stdout;
    expect(header).toMatch(/^ID\s+AT\s+WAY\s+PARTNER\s+MESSAGE-ID\s+STATE\s+MDN\s+CARRIES\s+REASON \/ DISPOSITION$/);
    expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual([s.refused.id, s.overdue.id, s.delivered.id, s.unknown.id, s.received.id]);
    expect(rows[0]).toMatch(/out\s+bigbox\s+<out-3@ourco\.example>\s+mdn-error\s+sync\s+outbound entry \d+\s+the partner refused the message: decryption-failed/);
    expect(rows[3]).toMatch(/in\s+\? STRANGER\s+<in-2@stranger\.example>\s+rejected\s+async failed/);
    expect(rows[4]).toContain(`file ${s.fileId}`);
  });

  it('filters by partner, direction and state, says when there are more, and prints JSON without bytes', async () => {
    const io = capture();
    expect(await as2ListCommand(db, { partner: 'bigbox', direction: 'out', limit: '2' }, io)).toBe(0);
    expect(io.stdout.slice(1, 3).map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual([s.refused.id, s.overdue.id]);
    expect(io.stdout[3]).toBe('(more: the newest 2 shown; use --limit or filters)');
    const json = capture();
    expect(await as2ListCommand(db, { state: 'mdn-overdue', json: true }, json)).toBe(0);
    const list = JSON.parse(json.text()) as Array<Record<string, unknown>>;
    expect(list.map((m) => m.id)).toEqual([s.overdue.id]);
    expect(list[0]).toMatchObject({ direction: 'out', mdnMode: 'async', outboundId: s.overdueEntry });
    expect(Object.keys(list[0]!)).not.toContain('body');
    const none = capture();
    expect(await as2ListCommand(db, { partner: 'nobody' }, none)).toBe(0);
    expect(none.text()).toBe('no AS2 messages');
  });

  it('refuses an unknown state, direction or limit with the usage exit code', async () => {
    for (const opts of [{ state: 'lost' }, { direction: 'up' }, { limit: '0' }]) {
      const io = capture();
      expect(await as2ListCommand(db, opts, io)).toBe(64);
      expect(io.stderr[0]).toMatch(/^error: /);
    }
  });
});

describe('edi as2 show', () => {
  it('prints ids, dates, MIC, the MDN disposition and the headers', async () => {
    const io = capture();
    expect(await as2ShowCommand(db, String(s.refused.id), {}, io)).toBe(0);
    const text = io.text();
    expect(io.stdout[0]).toBe(`AS2 message ${s.refused.id}: sent to bigbox, state MDN-ERROR`);
    expect(text).toContain('  Message-ID <out-3@ourco.example>');
    expect(text).toContain('  AS2-From OURCO, AS2-To BIGBOX');
    expect(text).toContain('  MIC c2VudA==, sha-256');
    expect(text).toContain('  MDN kept: multipart/report; boundary=e, 7 bytes (--mdn); disposition: automatic-action/MDN-sent-automatically; processed/error: decryption-failed');
    expect(text).toContain('  reason: the partner refused the message: decryption-failed [AS2_MDN_NEGATIVE]');
    expect(text).toMatch(/ {2}message-id\s+<out-3@ourco\.example>/);
    const received = capture();
    expect(await as2ShowCommand(db, String(s.received.id), {}, received)).toBe(0);
    expect(received.text()).toContain(`  carries: file ${s.fileId} (/files/${s.fileId})`);
    expect(received.text()).toContain('  body: 20 bytes (--raw)');
  });

  it('--raw and --mdn write the kept bytes alone; --json the record', async () => {
    const raw = capture();
    expect(await as2ShowCommand(db, String(s.received.id), { raw: true }, raw)).toBe(0);
    expect(Buffer.concat(raw.written)).toEqual(Buffer.from('RAW MESSAGE BYTES \x00\xff', 'latin1'));
    expect(raw.stdout).toEqual([]);
    const mdn = capture();
    expect(await as2ShowCommand(db, String(s.delivered.id), { mdn: true }, mdn)).toBe(0);
    expect(Buffer.concat(mdn.written).toString()).toBe('THEIR MDN');
    const json = capture();
    expect(await as2ShowCommand(db, String(s.unknown.id), { json: true }, json)).toBe(0);
    expect(JSON.parse(json.text())).toMatchObject({ id: s.unknown.id, mdnState: 'failed', mdn: { bytes: 7 } });
  });

  it('exit 3 for an unknown id or nothing kept, 64 for a bad id or both --raw and --mdn', async () => {
    const cases: Array<[string, Parameters<typeof as2ShowCommand>[2], number, RegExp]> = [
      ['999999', {}, 3, /^error: no AS2 message 999999$/],
      ['999999', { raw: true }, 3, /^error: no AS2 message 999999$/],
      [String(s.overdue.id), { mdn: true }, 3, /has no MDN kept$/],
      ['x', {}, 64, /is not an AS2 message id/],
      ['1', { raw: true, mdn: true }, 64, /not both/],
    ];
    for (const [id, opts, code, message] of cases) {
      const io = capture();
      expect(await as2ShowCommand(db, id, opts, io)).toBe(code);
      expect(io.stderr[0]).toMatch(message);
      expect(io.written).toEqual([]);
    }
  });

  it('runs as a process: show --raw puts the exact bytes on stdout', { timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const cli = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts')];
    const env = { ...process.env, DATABASE_URL: db.url };
    const raw = await run(process.execPath, [...cli, 'as2', 'show', String(s.received.id), '--raw', '--schema', db.schema], { env, encoding: 'buffer' });
    expect(raw.stdout).toEqual(Buffer.from('RAW MESSAGE BYTES \x00\xff', 'latin1'));
    const list = await run(process.execPath, [...cli, 'as2', 'list', '--partner', 'bigbox', '--json', '--schema', db.schema], { env });
    expect(JSON.parse(list.stdout).map((m: { id: number }) => m.id)).toEqual([s.refused.id, s.overdue.id, s.delivered.id, s.received.id]);
  });
});

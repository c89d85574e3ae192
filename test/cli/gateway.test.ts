// edi start (--once and continuous), edi docs list/show and edi replay against the real database.
// beforeAll makes the store every test reads: a first start (the samples, all posted) and a second
// (one broken file, rejected). Each test then stands alone: one that changes a document makes its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { docsListCommand, docsShowCommand } from '../../src/cli/commands/docs.js';
import { splitSegments } from '../../src/http/views/documents.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { sampleFiles } from '../../src/runtime/samples.js';
import { cliLogger } from '../../src/cli/log.js';
import { burstFile } from '../../bench/pipeline-files.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const fail = join(root, 'test', 'fixtures', 'x12', 'fail');
const dataDir = mkdtempSync(join(tmpdir(), 'edi-cli-'));
const inbox = join(dataDir, 'inbox', 'sample');
const archive = join(dataDir, 'archive', 'sample');

function capture(): Output & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), text: () => stdout.join('\n') };
}

function deps() {
  const io = capture();
  const lines: string[] = [];
  const log = cliLogger({ level: 'info', format: 'pretty', write: (l) => void lines.push(l) });
  return { io, lines, deps: { io, log, db, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } } };
}

const gatewayOpts = { jobExpireSeconds: 10 };
type Run = { code: number; io: ReturnType<typeof capture>; log: string; delivered: string[] };
let firstStart: Run;
let secondStart: Run;
let rejectedId = 0;
let rejectCalls = 0;
let postedId = 0;

async function startOnce(): Promise<Run> {
  const { io, lines, deps: d } = deps();
  const code = await startCommand({ dataDir, once: true, interval: '0.2' }, d);
  return { code, io, log: lines.join(''), delivered: readdirSync(join(dataDir, 'outbound', 'sample')) };
}

/** Drops one broken 850 (SE01 count wrong) and runs a start: the id of the document it rejected. */
async function rejectOne(name: string): Promise<{ run: Run; id: number }> {
  // Each call's bytes differ (a trailing line break per call): the same bytes again would be a duplicate receipt.
  writeFileSync(join(inbox, name), Buffer.concat([readFileSync(join(fail, 'se-count-wrong.edi')), Buffer.from('\n'.repeat(++rejectCalls))]));
  const run = await startOnce();
  const io = capture();
  await docsListCommand(db, { state: 'rejected', json: true, limit: '50' }, io);
  const rejected = (JSON.parse(io.text()) as Array<{ id: number; sourceName?: string; fileId: number }>).map((d) => d.id);
  return { run, id: Math.max(...rejected) };
}

beforeAll(async () => {
  firstStart = await startOnce();
  const broken = await rejectOne('broken.edi');
  secondStart = broken.run;
  rejectedId = broken.id;
  const posted = capture();
  await docsListCommand(db, { state: 'posted', set: '850', json: true, limit: '1' }, posted);
  postedId = JSON.parse(posted.text())[0].id;
}, 120_000);

describe('edi start --once', () => {
  it('on the first start copies the samples into the drop folder and takes every one of them to posted', async () => {
    const samples = await sampleFiles(join(root, 'samples'));
    expect(samples.length).toBeGreaterThanOrEqual(17);
    const { code, io, log } = firstStart;
    expect(code, log + io.stderr.join('\n')).toBe(0);
    expect(readdirSync(inbox)).toEqual([]);
    // Other tests archive their own files beside the samples.
    const archived = readdirSync(archive).filter((n) => /-00[45]010-/.test(n));
    expect(archived).toHaveLength(samples.length);
    expect(archived.every((n) => /^\d{8}T\d{6}\.\d{3}Z-00[45]010-(810|850|855|856)-.+\.edi$/.test(n))).toBe(true);
    expect(log).toMatch(/first start: copied the sample files/);
    expect(log).toMatch(/INFO  file \d+: new -> received {2}stage=intake file=004010-850-cancellation\.edi/);
    // One line per file and per state change: the components' own info lines stay out.
    expect(log).not.toMatch(/component=/);
    expect(log).toMatch(/document \d+ 850\/\d{4}: \w+ -> posted/);
    const out = io.text();
    expect(out).toContain(`${samples.length} file(s) taken from the drop folder`);
    expect(out).toMatch(/^posted\s+\d+$/m);
    expect(out).not.toMatch(/^(rejected|failed|parsed|validated|mapped)\s/m);
    // Delivered into the sample partner's outbound folder, one file per acknowledgment, nothing left queued.
    const sent = Number(/acknowledgments for the partner: (\d+) x 997 sent/.exec(out)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(out).not.toMatch(/x 997 (ready|failed)/);
    const delivered = firstStart.delivered;
    expect(delivered).toHaveLength(sent);
    expect(delivered.every((n) => /^sample_997_\d{9}_\d{14}\.edi$/.test(n))).toBe(true);
  });

  it('a later start does not copy the samples again; a broken file ends rejected and the exit code says so', () => {
    const { code, io, log } = secondStart;
    expect(code).toBe(1);
    expect(log).not.toMatch(/first start/);
    expect(io.text()).toContain('1 file(s) taken from the drop folder');
    expect(io.text()).toMatch(/^rejected\s+1$/m);
    expect(log).toMatch(/WARN  document \d+ 850\/0001: parsed -> rejected/);
  });

  it('an empty drop folder is a quick no-op', async () => {
    const { io, deps: d } = deps();
    expect(await startCommand({ dataDir, once: true, interval: '0.2' }, d)).toBe(0);
    expect(io.text()).toContain('0 file(s) taken');
  });
});

describe('edi docs', () => {
  it('lists documents newest first with filters, as a table or JSON', async () => {
    const io = capture();
    expect(await docsListCommand(db, { state: 'rejected' }, io)).toBe(0);
    const rows = io.stdout.slice(1);
    expect(io.stdout[0]).toMatch(/^ID\s+PARTNER\s+SET\s+CONTROL\s+NUMBER\s+STATE/);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // The rejected 850s keep the PO number of their BEG03 (PO1010), read before validation failed.
    expect(rows.every((r) => /sample\s+850\s+0001\s+PO1010\s+rejected\s+validate/.test(r))).toBe(true);
    expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toContain(rejectedId);

    const json = capture();
    expect(await docsListCommand(db, { set: '850', limit: '2', json: true }, json)).toBe(0);
    const items = JSON.parse(json.text());
    expect(items).toHaveLength(2);
    expect(items[0].id).toBeGreaterThan(items[1].id);
    expect(items.every((d: { setId: string }) => d.setId === '850')).toBe(true);

    const bad = capture();
    expect(await docsListCommand(db, { state: 'lost' }, bad)).toBe(64);
    expect(bad.stderr.join('')).toContain('unknown state lost');
    const more = capture();
    await docsListCommand(db, { limit: '1' }, more);
    expect(more.text()).toContain('(more: the newest 1 shown');
  });

  it('shows a rejected document: state, formatted findings, timeline and raw segments', async () => {
    const io = capture();
    expect(await docsShowCommand(db, String(rejectedId), {}, io)).toBe(0);
    const text = io.text();
    expect(text).toMatch(new RegExp(`^document ${rejectedId}: 850.*state REJECTED \\(failed in validate\\)`));
    expect(text).toMatch(/partner sample, file \d+ \(broken\.edi\)/);
    expect(text).toMatch(/findings \(\d+\):\n {2}.*SE01 says 11 segments.*\[X12_SE_COUNT\]/);
    expect(text).toMatch(/timeline \(\d+ event\(s\)\):/);
    expect(text).toMatch(/validate\s+system\s+parsed\s+rejected/);
    expect(text).toContain('canonical document: none yet');
    expect(text).toMatch(/raw segments \(12, bytes \d+\.\.\d+ of the file\):\n {2}ST\*850\*0001\n {2}BEG\*00\*SA\*PO1010\*\*20261101/);
    expect(text).toMatch(/ {2}SE\*11\*0001$/);
  });

  it('shows a posted document with its canonical JSON and its whole timeline', async () => {
    const io = capture();
    expect(await docsShowCommand(db, String(postedId), {}, io)).toBe(0);
    const text = io.text();
    expect(text).toMatch(/state POSTED/);
    for (const to of ['parsed', 'validated', 'mapped', 'posted']) expect(text).toMatch(new RegExp(`\\s${to}\\s`));
    expect(text).toMatch(/canonical document:\n {2}\{/);
    expect(text).toMatch(/"poNumber": /);
    const json = capture();
    expect(await docsShowCommand(db, String(postedId), { json: true }, json)).toBe(0);
    const doc = JSON.parse(json.text());
    expect(doc.state).toBe('posted');
    expect(doc.segments[0]).toMatch(/^ST\*850\*/);
    expect(doc.timeline.at(-1).toState).toBe('posted');
  });

  it('says so for a document that does not exist or an id that is not one', async () => {
    const io = capture();
    expect(await docsShowCommand(db, '999999', {}, io)).toBe(3);
    expect(io.stderr.join('')).toContain('no document 999999');
    expect(await docsShowCommand(db, 'abc', {}, capture())).toBe(64);
  });

  it('works as a process on DATABASE_URL and --schema, with the documented exit codes', { timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const cli = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts')];
    const env = { ...process.env, DATABASE_URL: db.url };
    const list = await run(process.execPath, [...cli, 'docs', 'list', '--state', 'posted', '--limit', '3', '--json', '--schema', db.schema], { env });
    expect(JSON.parse(list.stdout).map((d: { state: string }) => d.state)).toEqual(['posted', 'posted', 'posted']);
    const show = await run(process.execPath, [...cli, 'docs', 'show', String(postedId), '--schema', db.schema], { env });
    expect(show.stdout).toMatch(/state POSTED/);
    const missing = await run(process.execPath, [...cli, 'docs', 'show', '999999', '--schema', db.schema], { env }).catch((e) => e);
    expect(missing.code).toBe(3);
    const bad = await run(process.execPath, [...cli, 'docs', 'list', '--state', 'nope', '--schema', db.schema], { env }).catch((e) => e);
    expect(bad.code).toBe(64);
  });

  it('splits raw segments whatever the terminator and line breaks', () => {
    expect(splitSegments(Buffer.from('ST*850*0001~\nBEG*00~\r\nSE*3*0001~\n'))).toEqual(['ST*850*0001', 'BEG*00', 'SE*3*0001']);
    expect(splitSegments(Buffer.from('ST|856|0002|005010X\nBSN|00\nSE|3|0002\n'))).toEqual(['ST|856|0002|005010X', 'BSN|00', 'SE|3|0002']);
  });
});

describe('edi replay', () => {
  it('sends a rejected document back to the stage that failed, once; a second replay is a no-op', { timeout: 60_000 }, async () => {
    // Its own rejected document: the docs tests read the shared one as rejected.
    const { id } = await rejectOne('broken-for-replay.edi');
    const io = capture();
    expect(await replayCommand(db, String(id), { actor: 'alice' }, io, gatewayOpts)).toBe(0);
    expect(io.text()).toMatch(new RegExp(`document ${id}: rejected -> sent back to validate \\(as alice\\)`));
    const again = capture();
    expect(await replayCommand(db, String(id), { actor: 'alice' }, again, gatewayOpts)).toBe(0);
    expect(again.text()).toMatch(/not replayed|nothing to replay/);
    const show = capture();
    await docsShowCommand(db, String(id), {}, show);
    expect(show.text()).toMatch(/alice\s+rejected\s+/);
  });

  it('a replay that a later edi start --once runs is in its summary and its exit code (rejected again: not 0)', { timeout: 60_000 }, async () => {
    const { id } = await rejectOne('broken-replayed-by-start.edi');
    expect(await replayCommand(db, String(id), { actor: 'bob' }, capture(), gatewayOpts)).toBe(0);
    // No new file: the run only works the replay, which rejects the document again.
    const run = await startOnce();
    expect(run.io.text()).toMatch(/rejected\s+1/);
    expect(run.code).not.toBe(0);
    const show = capture();
    await docsShowCommand(db, String(id), {}, show);
    expect(show.text()).toMatch(/bob\s+rejected\s+/);
  });

  it('answers not found for an unknown id and usage for a bad one', async () => {
    const io = capture();
    expect(await replayCommand(db, '999999', {}, io, gatewayOpts)).toBe(3);
    expect(await replayCommand(db, 'x', {}, capture(), gatewayOpts)).toBe(64);
    expect(await replayCommand(db, '999999', { file: true }, capture(), gatewayOpts)).toBe(3);
  });
});

describe('edi start (continuous)', () => {
  it('takes files as they are dropped and stops cleanly when told to', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const { lines, deps: d } = deps();
    const running = startCommand({ dataDir, interval: '0.2' }, { ...d, signal: controller.signal });
    // Writers use a temporary name and rename when done; the poller leaves the temporary name alone.
    writeFileSync(join(inbox, 'new.edi.part'), burstFile(424242, 2, { sender: 'CLITEST' }).bytes);
    await sleep(500);
    expect(existsSync(join(inbox, 'new.edi.part'))).toBe(true);
    renameSync(join(inbox, 'new.edi.part'), join(inbox, 'new.edi'));
    const deadline = Date.now() + 30_000;
    const log = () => lines.join('');
    while (Date.now() < deadline && (existsSync(join(inbox, 'new.edi')) || (log().match(/: \w+ -> posted/g) ?? []).length < 2)) await sleep(100);
    controller.abort();
    expect(await running).toBe(0);
    expect(existsSync(join(inbox, 'new.edi'))).toBe(false);
    expect(log()).toMatch(/file \d+: new -> received {2}stage=intake file=new\.edi/);
    expect((log().match(/: \w+ -> posted {2}.*file=new\.edi/g) ?? []).length).toBe(2);
    expect(log()).toMatch(/gateway stopped/);
  });
});

// What a person needs to find a rejected document and know what helps (issue 13's CLI findings):
// a file rejected as a whole shows in `docs list` and `files show` tells why; a document that never
// mapped is found by its PO number, read from the raw BEG; `docs show` gives the catalog's fix and
// whether a replay can help or only a corrected file from the partner can.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardCommand } from '../../src/cli/commands/dashboard.js';
import { docsListCommand, docsShowCommand } from '../../src/cli/commands/docs.js';
import { filesListCommand, filesShowCommand } from '../../src/cli/commands/files.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { REMEDY_TEXT } from '../../src/errors/remedy.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'edi-find-'));
const inbox = join(dataDir, 'inbox', 'sample');

function capture(): Output & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), text: () => stdout.join('\n') };
}

async function cli(command: (io: Output) => Promise<number>): Promise<{ code: number; text: string }> {
  const io = capture();
  const code = await command(io);
  return { code, text: io.text() + io.stderr.join('\n') };
}

let pdfFileId = 0;
let rejectedDocId = 0;

beforeAll(async () => {
  mkdirSync(inbox, { recursive: true });
  // A catalog sent as a PDF, and an 850 whose SE01 is wrong (rejected before it is ever mapped).
  writeFileSync(join(inbox, 'catalog.pdf'), Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'));
  writeFileSync(join(inbox, 'po1010.edi'), readFileSync(join(root, 'test', 'fixtures', 'x12', 'fail', 'se-count-wrong.edi')));
  const past = new Date(Date.now() - 60_000);
  for (const n of ['catalog.pdf', 'po1010.edi']) utimesSync(join(inbox, n), past, past);
  const io = capture();
  const log = cliLogger({ level: 'warn', format: 'pretty', write: () => {} });
  await startCommand({ dataDir, once: true, interval: '0.2' }, { io, log, db, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });
  const files = JSON.parse((await cli((o) => filesListCommand(db, { state: 'rejected', json: true }, o))).text) as Array<{ id: number; sourceName: string }>;
  pdfFileId = files.find((f) => f.sourceName === 'catalog.pdf')!.id;
  const docs = JSON.parse((await cli((o) => docsListCommand(db, { search: 'PO1010', json: true }, o))).text) as Array<{ id: number }>;
  rejectedDocId = docs[0]!.id;
}, 120_000);

describe('finding what was rejected', () => {
  it('a document that never mapped is found by the PO number of its raw BEG, and shows it', async () => {
    const found = JSON.parse((await cli((o) => docsListCommand(db, { search: 'PO1010', json: true }, o))).text) as Array<{ state: string; number: string; poNumber: string; document?: unknown }>;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ state: 'rejected', number: 'PO1010', poNumber: 'PO1010' });
    const none = await cli((o) => docsListCommand(db, { search: 'PO9999' }, o));
    expect(none.text).toContain('no documents');
    const table = await cli((o) => docsListCommand(db, { search: 'PO1010' }, o));
    expect(table.text).toMatch(/NUMBER[\s\S]*PO1010/);
  });

  it('a file rejected as a whole shows under docs list, but not when the filter asks for posted documents', async () => {
    const all = await cli((o) => docsListCommand(db, {}, o));
    expect(all.code).toBe(0);
    expect(all.text).toContain('files rejected as a whole');
    expect(all.text).toMatch(new RegExp(`\\b${pdfFileId}\\b.*catalog\\.pdf.*rejected`));
    const posted = await cli((o) => docsListCommand(db, { state: 'posted' }, o));
    expect(posted.text).not.toContain('catalog.pdf');
  });

  it('files show names the reason, the catalog fix, and that only a corrected file from the partner helps', async () => {
    const shown = await cli((o) => filesShowCommand(db, String(pdfFileId), {}, o));
    expect(shown.code).toBe(0);
    expect(shown.text).toMatch(/state REJECTED/);
    expect(shown.text).toMatch(/reason: .*\[X12_NOT_X12\]/);
    expect(shown.text).toMatch(/how to fix: .*not another format/);
    expect(shown.text).toContain(`what helps: ${REMEDY_TEXT.partner}`);
    expect(shown.text).toContain('documents: none');
    const json = JSON.parse((await cli((o) => filesShowCommand(db, String(pdfFileId), { json: true }, o))).text);
    expect(json.remedy.kind).toBe('partner');
    const missing = await cli((o) => filesShowCommand(db, '999999', {}, o));
    expect(missing.code).toBe(3);
  });

  it('docs show of the rejected 850 gives its PO number, each error with how to fix it, and what helps', async () => {
    const shown = await cli((o) => docsShowCommand(db, String(rejectedDocId), {}, o));
    expect(shown.text).toContain('PO number PO1010');
    expect(shown.text).toMatch(/X12_SE_COUNT[\s\S]*how to fix: /);
    expect(shown.text).toContain(`what helps: ${REMEDY_TEXT.partner}`);
    const json = JSON.parse((await cli((o) => docsShowCommand(db, String(rejectedDocId), { json: true }, o))).text);
    expect(json).toMatchObject({ number: 'PO1010', poNumber: 'PO1010', remedy: { kind: 'partner' } });
  });
});

describe('edi dashboard', () => {
  it('says how many documents wait for a person and lists them, longest waiting first', async () => {
    const shown = await cli((o) => dashboardCommand(db, {}, o));
    expect(shown.code).toBe(0);
    expect(shown.text).toMatch(/^waiting for a person: 1$/m);
    expect(shown.text).toMatch(new RegExp(`\\b${rejectedDocId}\\s+sample\\s+850\\s+PO1010\\s+rejected`));
    expect(shown.text).toMatch(/sample\s+rejected\s+1\s+1/);
    const json = JSON.parse((await cli((o) => dashboardCommand(db, { json: true }, o))).text) as { waitingTotal: number };
    expect(json.waitingTotal).toBe(1);
  });
});

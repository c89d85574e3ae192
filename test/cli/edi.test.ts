import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ackCommand, parseCommand, validateCommand, type Output } from '../../src/cli/commands/inspect.js';
import { readX12 } from '../../src/x12/reader.js';
import { readAcknowledgments } from '../../src/acks/parse-acks.js';
import { defaultDelimiters, serializeInterchange } from '../../src/x12/writer.js';

const root = join(import.meta.dirname, '..', '..');
const pass = join(root, 'test', 'fixtures', 'x12', 'pass');
const fail = join(root, 'test', 'fixtures', 'x12', 'fail');

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('edi parse', () => {
  it('prints canonical documents with their envelopes and exits 0 for a valid file', async () => {
    const io = capture();
    const code = await parseCommand(join(root, 'samples', '004010', '850', '850-grocery-gln-allowances.edi'), {}, io);
    expect(code).toBe(0);
    const docs = JSON.parse(io.stdout.join('\n'));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      expect(d.documentType).toBe('purchase_order');
      expect(d.envelope.transactionSetId).toBe('850');
      expect(d.envelope.interchangeControlNumber).toMatch(/^\d{9}$/);
      expect(d.document.poNumber).toBeTruthy();
      expect(d.document.lines.length).toBeGreaterThan(0);
    }
  });

  it('exits 1 and names the problem for a broken file', async () => {
    const io = capture();
    const code = await parseCommand(join(fail, 'se-count-wrong.edi'), {}, io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toContain('SE01 says 11 segments but the transaction set holds 12');
  });

  it('exits 2 for a missing file, an empty file and a file that is not X12', async () => {
    for (const [file, text] of [[join(root, 'nope.edi'), 'no such file'], [join(fail, 'empty.edi'), 'X12_EMPTY_FILE'], [join(fail, 'garbage-bytes.edi'), 'X12_NOT_X12']] as const) {
      const io = capture();
      expect(await parseCommand(file, {}, io)).toBe(2);
      expect(io.stderr.join('\n')).toContain(text);
    }
  });
});

describe('edi validate and edi ack', () => {
  it('prints findings and the 997 we would send', async () => {
    const io = capture();
    const code = await validateCommand(join(fail, 'se-control-mismatch.edi'), {}, io);
    expect(code).toBe(1);
    const text = io.stdout.join('\n');
    expect(text).toContain('INVALID');
    expect(text).toContain('[X12_SE_CONTROL_MISMATCH]');
    expect(text).toMatch(/AK5\*R\*3/);
    expect(text).toMatch(/AK9\*R\*1\*1\*0/);
  });

  it('builds a TA1 rejection for a broken envelope', async () => {
    const io = capture();
    expect(await ackCommand(join(fail, 'iea-control-mismatch.edi'), {}, io)).toBe(1);
    const ack = readX12(io.stdout.join('\n'));
    const results = readAcknowledgments(ack.interchanges[0]!);
    expect(ack.interchanges[0]?.ta1[0]?.elements.slice(1, 6)).toEqual(['000000905', '261101', '1230', 'R', '001']);
    expect(results.length).toBeGreaterThan(0);
  });

  it('answers with a 999 when asked', async () => {
    const io = capture();
    expect(await ackCommand(join(pass, 'repetition-caret-5010.edi'), { ack: '999' }, io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/ST\*999\*0001\*005010X231A1/);
    expect(out).toMatch(/AK9\*A\*1\*1\*1/);
  });

  it('answers two groups from different application senders each with its own 997, addressed to that group', async () => {
    // Each group names another application sender (GS02) and addresses another of our ids (GS03).
    const dir = mkdtempSync(join(tmpdir(), 'edi-cli-'));
    const file = join(dir, 'two-senders.edi');
    const group = (gs02: string, gs03: string, control: number) => [
      `GS*PO*${gs02}*${gs03}*20261101*1230*${control}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO100${control}**20261101`,
      'PO1*1*12*EA*4.25*PE*UP*012345678905', 'CTT*1', 'SE*5*0001', `GE*1*${control}`,
    ];
    writeFileSync(file, [
      'ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*OURCOMPANY     *261101*1230*U*00401*000000905*0*P*>',
      ...group('STORES', 'OURCOMPANY', 1), ...group('WAREHOUSE', 'OURDC', 2), 'IEA*2*000000905',
    ].join('~\n') + '~\n');
    try {
      const io = capture();
      expect(await validateCommand(file, { control: '40' }, io)).toBe(0);
      const text = io.stdout.join('\n');
      expect(text).toContain('VALID');
      const ack = readX12(text.slice(text.indexOf('ISA*'))).interchanges[0]!;
      expect(ack.findings).toEqual([]);
      // GS02 of each answer is the id its group addressed, GS03 that group's sender; group numbers follow --control.
      expect(ack.groups.map((g) => [g.header.functionalId, g.header.senderId, g.header.receiverId, g.header.controlNumber])).toEqual([
        ['FA', 'OURCOMPANY', 'STORES', '40'],
        ['FA', 'OURDC', 'WAREHOUSE', '41'],
      ]);
      expect(ack.groups.map((g) => g.transactions.map((t) => t.segments.find((s) => s.tag === 'AK1')!.elements.join('*')))).toEqual([
        ['AK1*PO*1'], ['AK1*PO*2'],
      ]);
      const acked = capture();
      expect(await ackCommand(file, {}, acked)).toBe(0);
      // Without --control the groups are numbered from 1; GS04/GS05 (our clock) are left out.
      const gs = acked.stdout.join('\n').match(/^GS\*FA\*[^~]*/gm)!.map((g) => g.split('*').filter((_, i) => i !== 4 && i !== 5).join('*'));
      expect(gs).toEqual(['GS*FA*OURCOMPANY*STORES*1*X*004010', 'GS*FA*OURDC*WAREHOUSE*2*X*004010']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('emits JSON on request', async () => {
    const io = capture();
    expect(await validateCommand(join(pass, 'standard-tilde-newline.edi'), { json: true }, io)).toBe(0);
    const j = JSON.parse(io.stdout.join('\n'));
    expect(j.valid).toBe(true);
    expect(j.acknowledgments[0]).toMatch(/^ISA\*/);
  });
});

describe('the installed command', () => {
  it('bin/edi.js (what npx edi runs) works right after npm ci, without a build', async () => {
    // CI runs on a fresh clone: there is no dist/ there, so this fails if the bin needs a build.
    const run = promisify(execFile);
    const ok = await run(process.execPath, [join(root, 'bin', 'edi.js'), 'validate', join(pass, 'bom.edi')]);
    expect(ok.stdout).toContain('VALID');
    const bad = await run(process.execPath, [join(root, 'bin', 'edi.js'), 'validate', join(fail, 'missing-ge.edi')]).catch((e) => e);
    expect(bad.code).toBe(1);
  });

  it('runs as a process with the documented exit codes', async () => {
    const run = promisify(execFile);
    const cli = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts')];
    const ok = await run(process.execPath, [...cli, 'validate', join(pass, 'bom.edi')]);
    expect(ok.stdout).toContain('VALID');
    const bad = await run(process.execPath, [...cli, 'validate', join(fail, 'missing-ge.edi')]).catch((e) => e);
    expect(bad.code).toBe(1);
    const usage = await run(process.execPath, [...cli, 'frobnicate']).catch((e) => e);
    expect(usage.code).toBe(64);
  });

  it('ends quietly with its own exit code when the reader closes the pipe early (edi parse FILE | head -1)', async () => {
    // Far more JSON than a pipe buffers (64 KiB), so the CLI is still writing when the reader goes away.
    const dir = mkdtempSync(join(tmpdir(), 'edi-cli-'));
    const file = join(dir, 'many.edi');
    const sets = Array.from({ length: 300 }, (_, i) => ({
      id: '850', controlNumber: String(i + 1).padStart(4, '0'),
      body: [['BEG', '00', 'SA', `PO${1000 + i}`, '', '20261101'], ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'], ['CTT', '1']],
    }));
    writeFileSync(file, serializeInterchange({
      header: { senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY', date: '261101', time: '1230', version: '00401', controlNumber: 905, usage: 'P' },
      groups: [{ functionalId: 'PO', senderId: 'ACMEBUYER', receiverId: 'OURCOMPANY', date: '20261101', time: '1230', controlNumber: '1', version: '004010', transactions: sets }],
    }, { delimiters: defaultDelimiters('00401'), lineBreak: '\n' }));
    try {
      const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts'), 'parse', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      // Like head -1: take the first chunk, then close the read end.
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString();
        child.stdout.destroy();
      });
      const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
      expect(first.startsWith('[')).toBe(true);
      expect(stderr).not.toMatch(/Unhandled|EPIPE|internal error/);
      expect(stderr).toContain('many.edi: VALID: 1 interchange(s), 1 group(s), 300 x 850');
      expect([code, signal]).toEqual([0, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

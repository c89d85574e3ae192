import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ackCommand, parseCommand, validateCommand, type Output } from '../../src/cli/commands/inspect.js';
import { readX12 } from '../../src/x12/reader.js';
import { readAcknowledgments } from '../../src/acks/parse-acks.js';

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

  it('emits JSON on request', async () => {
    const io = capture();
    expect(await validateCommand(join(pass, 'standard-tilde-newline.edi'), { json: true }, io)).toBe(0);
    const j = JSON.parse(io.stdout.join('\n'));
    expect(j.valid).toBe(true);
    expect(j.acknowledgments[0]).toMatch(/^ISA\*/);
  });
});

describe('the installed command', () => {
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
});

// edi outbound list|show|preview|build|resend|regenerate and edi docs list --direction out, against
// the Odoo 19 double, real PostgreSQL and FreshMart as a folder partner receiving 855s
// (test/outbound/support.ts): what each prints, what it changes, and the documented exit codes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsListCommand } from '../../src/cli/commands/docs.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import {
  outboundBuildCommand,
  outboundListCommand,
  outboundPreviewCommand,
  outboundRegenerateCommand,
  outboundResendCommand,
  outboundShowCommand,
} from '../../src/cli/commands/outbound.js';
import { listOutbound, listOutboundDocuments } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { FRESHMART_PO } from '../support/freshmart.js';
import { outboundCustomer, type OutboundCustomer } from '../outbound/support.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');

function capture(): Output & { stdout: string[]; stderr: string[]; text(): string; errors(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), text: () => stdout.join('\n'), errors: () => stderr.join('\n') };
}

let customer: OutboundCustomer;
let orderId: number;
let where: { partners: string; dataDir: string };

beforeAll(async () => {
  customer = await outboundCustomer(db, 19);
  where = { partners: customer.partnersDir, dataDir: customer.dataDir };
  orderId = await customer.postOrder();
}, 60_000);

afterAll(() => customer?.close());

const json = async <T>(fn: (io: Output) => Promise<number>): Promise<T> => {
  const io = capture();
  expect(await fn(io), io.errors()).toBe(0);
  return JSON.parse(io.text()) as T;
};

describe('edi outbound', () => {
  let documentId = 0;

  it('preview prints the X12 the order would produce, with placeholder numbers, and stores nothing', async () => {
    const io = capture();
    expect(await outboundPreviewCommand(db, 'sale.order', String(orderId), where, io, customer.env), io.errors()).toBe(0);
    expect(io.stdout[0]).toMatch(/^ISA\*00\*.*\*ZZ\*ACMEDIST +\*ZZ\*FRESHMART +\*.*\*000000001\*/);
    expect(io.text()).toContain('ST*855*0001~');
    expect(io.text()).toContain(`*${FRESHMART_PO}*`);
    expect(io.errors()).toMatch(/855 for freshmart from sale\.order .*placeholders.*nothing was numbered or queued/);
    const list = capture();
    expect(await outboundListCommand(db, {}, list)).toBe(0);
    expect(list.text()).toBe('no outbound documents');
    expect((await listOutbound(db, { partner: 'freshmart' })).filter((o) => o.kind === '855')).toEqual([]);
  });

  it('build builds it now; list, docs list --direction out and show tell its state, numbers, timeline and X12', async () => {
    const io = capture();
    expect(await outboundBuildCommand(db, 'sale.order', String(orderId), where, io, customer.env), io.errors()).toBe(0);
    const [doc] = await listOutboundDocuments(db);
    documentId = doc!.id;
    expect(io.text()).toBe(`sale.order ${orderId}: 855 built (outbound document ${doc!.id}): ISA13 ${doc!.interchangeControl}, GS06 ${doc!.groupControl}, ST02 ${doc!.controlNumber}; queued for delivery (a running gateway sends it)`);
    const again = capture();
    expect(await outboundBuildCommand(db, 'sale.order', String(orderId), where, again, customer.env)).toBe(0);
    expect(again.text()).toMatch(/already built .*left alone/);

    const table = capture();
    expect(await outboundListCommand(db, { partner: 'freshmart' }, table)).toBe(0);
    expect(table.stdout[0]).toMatch(/^ID\s+PARTNER\s+SET\s+GEN\s+SOURCE\s+STATE\s+ISA13\s+GS06\s+ST02\s+SENT\s+ACK DUE\s+REASON$/);
    expect(table.stdout[1]).toMatch(new RegExp(`^\\s*${doc!.id}\\s+freshmart\\s+855\\s+1\\s+sale\\.order ${doc!.sourceName}\\s+built\\s+${doc!.interchangeControl}\\s+${doc!.groupControl}\\s+${doc!.controlNumber}\\s+-\\s+-$`));
    const listed = await json<Array<{ id: number }>>((o) => outboundListCommand(db, { json: true }, o));
    expect(await json((o) => docsListCommand(db, { direction: 'out', json: true }, o))).toEqual(listed);
    expect(listed.map((d) => d.id)).toEqual([doc!.id]);
    expect(await json((o) => outboundListCommand(db, { state: 'sent', json: true }, o))).toEqual([]);

    const show = capture();
    expect(await outboundShowCommand(db, String(doc!.id), {}, show)).toBe(0);
    const text = show.text();
    expect(text).toContain(`outbound document ${doc!.id}: 855 generation 1, state BUILT`);
    expect(text).toContain(`ISA13 ${doc!.interchangeControl}, GS06 ${doc!.groupControl}, ST02 ${doc!.controlNumber}`);
    expect(text).toMatch(/timeline \(1 event\(s\)\):[\s\S]*outbound\s+system\s+-\s+built\s+855 built from sale\.order/);
    const [entry] = (await listOutbound(db, { partner: 'freshmart' })).filter((o) => o.kind === '855');
    expect(text).toMatch(new RegExp(`deliveries \\(1\\):[\\s\\S]*${entry!.id}\\s+built\\s+ready`));
    expect(show.stdout.slice(show.stdout.indexOf(`X12 (outbound entry ${entry!.id}):`) + 1)).toEqual(entry!.payload.split('\n').filter(Boolean).map((l) => '  ' + l));
    const shown = await json<{ x12: string; deliveries: Array<Record<string, unknown>>; timeline: unknown[] }>((o) => outboundShowCommand(db, String(doc!.id), { json: true }, o));
    expect(shown.x12).toBe(entry!.payload);
    expect(shown.deliveries).toHaveLength(1);
    expect(shown.deliveries[0]).not.toHaveProperty('payload');
  });

  it('resend and regenerate act as asked, with the actor and reason on the timeline, and refuse what the state does not allow', async () => {
    const early = capture();
    expect(await outboundResendCommand(db, String(documentId), { actor: 'alice' }, early)).toBe(1);
    expect(early.errors()).toMatch(/not resent: .*delivery is pending/);
    await customer.deliver();

    const resend = capture();
    expect(await outboundResendCommand(db, String(documentId), { actor: 'alice', reason: 'lost on their side' }, resend), resend.errors()).toBe(0);
    expect(resend.text()).toMatch(new RegExp(`^outbound document ${documentId}: the same 855 \\(ISA13 \\d{9}\\) queued for delivery again as outbound entry \\d+ \\(as alice\\)`));
    await customer.deliver();
    expect(customer.sent855()).toHaveLength(2);

    const regenerate = capture();
    expect(await outboundRegenerateCommand(db, String(documentId), { actor: 'carol', reason: 'new prices', ...where }, regenerate, customer.env), regenerate.errors()).toBe(0);
    const [next, old] = await listOutboundDocuments(db);
    expect(regenerate.stdout).toEqual([
      `outbound document ${documentId}: cancelled (as carol)`,
      `outbound document ${next!.id}: generation 2 built: ISA13 ${next!.interchangeControl}, GS06 ${next!.groupControl}, ST02 ${next!.controlNumber}; queued for delivery (a running gateway sends it)`,
    ]);
    expect(old).toMatchObject({ id: documentId, state: 'cancelled' });

    const show = capture();
    expect(await outboundShowCommand(db, String(documentId), {}, show)).toBe(0);
    expect(show.text()).toContain('state CANCELLED');
    expect(show.text()).toMatch(/resend\s+alice\s+-\s+-\s+resent by alice: .*lost on their side/);
    expect(show.text()).toMatch(/outbound\s+carol\s+sent\s+cancelled\s+cancelled: regenerated as generation 2 .*new prices/);
    expect(show.text()).toMatch(/deliveries \(2\):[\s\S]*\d+\s+built\s+sent[\s\S]*\d+\s+resend\s+sent/);

    const refused = capture();
    expect(await outboundRegenerateCommand(db, String(documentId), { actor: 'carol', ...where }, refused, customer.env)).toBe(1);
    expect(refused.errors()).toMatch(/cancelled \(superseded by a later generation\)/);
    expect(await listOutboundDocuments(db)).toHaveLength(2);
  });

  it('answers a wrong command line, an unknown document and a missing Odoo with the documented exit codes', async () => {
    const io = capture();
    expect(await outboundShowCommand(db, '999999', {}, io)).toBe(3);
    expect(await outboundShowCommand(db, 'abc', {}, io)).toBe(64);
    expect(await outboundResendCommand(db, '999999', {}, io)).toBe(3);
    expect(await outboundRegenerateCommand(db, '999999', where, io, customer.env)).toBe(3);
    expect(await outboundListCommand(db, { state: 'nope' }, io)).toBe(64);
    expect(await docsListCommand(db, { direction: 'sideways' }, io)).toBe(64);
    expect(await docsListCommand(db, { direction: 'out', set: '855' }, io)).toBe(64);
    expect(await outboundPreviewCommand(db, 'sale.order', 'x', where, io, customer.env)).toBe(64);
    expect(io.errors()).toContain('error: no outbound document 999999');

    const noOdoo = capture();
    expect(await outboundPreviewCommand(db, 'sale.order', String(orderId), where, noOdoo, {})).toBe(70);
    expect(noOdoo.errors()).toContain('ODOO_URL is not set');
    const model = capture();
    expect(await outboundPreviewCommand(db, 'res.partner', '1', where, model, customer.env)).toBe(1);
    expect(model.errors()).toContain('no partner file sends a document built from res.partner');

    const [customerRecord] = await customer.client.searchRead('res.partner', [['ref', '=', 'FRESHMART']], { fields: ['id'] });
    const draft = await customer.client.create('sale.order', { partner_id: customerRecord!.id, client_order_ref: 'DRAFT-1' });
    const build = capture();
    expect(await outboundBuildCommand(db, 'sale.order', String(draft), where, build, customer.env)).toBe(1);
    expect(build.text()).toMatch(new RegExp(`^sale\\.order ${draft}: no 855: `));
    expect(await listOutboundDocuments(db)).toHaveLength(2);
  });

  it('runs as a process: outbound list and preview from the environment and the command line', { timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const cli = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts')];
    const env = { ...process.env, DATABASE_URL: db.url, ...customer.env };
    const list = await run(process.execPath, [...cli, 'outbound', 'list', '--state', 'cancelled', '--json', '--schema', db.schema], { env });
    expect(JSON.parse(list.stdout).map((d: { id: number }) => d.id)).toEqual([documentId]);
    const docs = await run(process.execPath, [...cli, 'docs', 'list', '--direction', 'out', '--limit', '1', '--schema', db.schema], { env });
    expect(docs.stdout).toMatch(/generation|ISA13/);
    const preview = await run(process.execPath, [...cli, 'outbound', 'preview', 'sale.order', String(orderId), '--partners', where.partners, '--data-dir', where.dataDir, '--schema', db.schema], { env });
    expect(preview.stdout).toMatch(/^ISA\*/);
    const missing = await run(process.execPath, [...cli, 'outbound', 'resend', '999999', '--schema', db.schema], { env }).catch((e) => e);
    expect(missing.code).toBe(3);
  });
});

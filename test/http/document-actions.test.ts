// The console's actions on received documents with real PostgreSQL and a running gateway: replay and
// cancel through the API (operator token; refused for a viewer and for a cookie session without its
// CSRF token), their audit rows and timeline events with actor and reason; the document page's
// buttons (only for an operator) and its form posts; downloads equal to the bytes received; a bulk
// replay counted, started and followed until every document settled (API, page, CLI); edi cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { bulkReplayCommand, cancelCommand, parseFilterOption, progressLine } from '../../src/cli/commands/replay.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { downloadFileName } from '../../src/jobs/document-actions.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { addApiToken, addUser, documentTimeline, getDocument, listAudit, listDocuments, listFiles, type Actor } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const FAST = { ln: 10, r: 8, p: 1 };
const ADMIN: Actor = { name: 'test', via: 'cli' };
const BROKEN = readFileSync(join(root, 'test', 'fixtures', 'x12', 'fail', 'se-count-wrong.edi'), 'latin1');
const GOOD = readFileSync(join(root, 'samples', '004010', '850', '850-grocery-gln-allowances.edi'));
let server: HttpServer;
let gateway: Gateway;
const tokens: Record<string, string> = {};

/** The rejected order PO<n>, in an interchange of its own. */
const broken = (n: number) => BROKEN.replaceAll('000000905', String(905 + n).padStart(9, '0')).replace('PO1010', `PO20${n}`);

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-actions-'));
  const inbox = join(dataDir, 'inbox', 'sample');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, 'x<b>y.pdf'), '%PDF-1.4\n');
  writeFileSync(join(inbox, 'good.edi'), GOOD);
  for (let n = 1; n <= 5; n++) writeFileSync(join(inbox, `broken-${n}.edi`), broken(n), 'latin1');
  const past = new Date(Date.now() - 60_000);
  for (const n of ['x<b>y.pdf', 'good.edi', ...[1, 2, 3, 4, 5].map((n) => `broken-${n}.edi`)]) utimesSync(join(inbox, n), past, past);
  const gatewayOpts = { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } };
  await startCommand({ dataDir, once: true, interval: '0.2' }, { io: { out: () => {}, err: () => {} }, log: cliLogger({ level: 'error', format: 'pretty', write: () => {} }), db, gateway: gatewayOpts });
  // The gateway whose workers take the replayed documents through again.
  gateway = await startGateway({ db, ...gatewayOpts, pollIntervalMs: 100 });

  for (const [name, role] of [['olivia', 'operator'], ['victor', 'viewer']] as const) {
    await addUser(db, { username: name, role, passwordHash: await hashPassword(`${name} password 123`, FAST) }, ADMIN);
    tokens[name] = newApiToken();
    await addApiToken(db, name, { tokenHash: secretHash(tokens[name]!), label: 'test' }, ADMIN);
  }
  const loaded = await loadPartners(join(root, 'partners'), {}, { dataDir });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  for (const plugin of operationsConsole({
    db, partners: partnerDirectory({ partners: loaded.partners }), log: silentLogger,
    outboundActions: { resend: async () => ({ notFound: true }), regenerate: async () => ({ notFound: true }) },
    documentActions: gateway.actions,
  })) server.register(plugin);
  await server.app.ready();
}, 120_000);
afterAll(async () => {
  await server?.close();
  await gateway?.stop();
});

const as = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });

async function rejectedIds(): Promise<number[]> {
  return (await listDocuments(db, { state: 'rejected', limit: 100 })).items.map((d) => d.id).sort((a, b) => a - b);
}

async function login(username: string) {
  const res = await server.app.inject({ method: 'POST', url: '/login', payload: { username, password: `${username} password 123` } });
  return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

async function settled(timeoutMs = 30_000): Promise<void> {
  await gateway.idle(timeoutMs);
}

describe('document actions', () => {
  it('replays through the API as an operator: audited with actor and reason, on the timeline; the document settles again', async () => {
    const [id] = await rejectedIds();
    const viewer = await server.app.inject({ method: 'POST', url: `/api/documents/${id}/replay`, headers: as('victor'), payload: { reason: 'try' } });
    expect(viewer.statusCode).toBe(403);
    const res = await server.app.inject({ method: 'POST', url: `/api/documents/${id}/replay`, headers: as('olivia'), payload: { reason: 'partner fixed the master data' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ replayed: [{ documentId: id, from: 'rejected', stage: 'validate' }], skipped: [] });
    const [audit] = await listAudit(db, { targetKind: 'document', targetId: String(id) });
    expect(audit).toMatchObject({ actor: 'olivia', via: 'token', action: 'documents.replay', reason: 'partner fixed the master data' });
    const timeline = await documentTimeline(db, id!);
    const event = timeline.find((e) => e.id === audit!.eventId);
    expect(event).toMatchObject({ actor: 'olivia', stage: 'replay' });
    expect(event!.message).toContain('partner fixed the master data');
    await settled();
    // The SE count is still wrong: rejected again, by validate.
    expect((await getDocument(db, id!))!.state).toBe('rejected');
    // No body at all is a replay without a reason; an unknown id is 404.
    expect((await server.app.inject({ method: 'POST', url: `/api/documents/${id}/replay`, headers: as('olivia') })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'POST', url: '/api/documents/999999/replay', headers: as('olivia'), payload: {} })).statusCode).toBe(404);
    await settled();
  });

  it('cancels only with a reason, never a posted document; a cookie session needs its CSRF token', async () => {
    const [, id] = await rejectedIds();
    const { cookie, csrf } = await login('olivia');
    const noCsrf = await server.app.inject({ method: 'POST', url: `/api/documents/${id}/cancel`, headers: { cookie }, payload: { reason: 'duplicate order by phone' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error).toContain('CSRF');
    expect((await server.app.inject({ method: 'POST', url: `/api/documents/${id}/cancel`, headers: { cookie, 'x-csrf-token': csrf }, payload: {} })).statusCode).toBe(400);
    const posted = (await listDocuments(db, { state: 'posted', limit: 1 })).items[0]!;
    const refused = await server.app.inject({ method: 'POST', url: `/api/documents/${posted.id}/cancel`, headers: as('olivia'), payload: { reason: 'oops' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toContain('posted');
    expect((await server.app.inject({ method: 'POST', url: `/api/documents/${id}/cancel`, headers: as('victor'), payload: { reason: 'x' } })).statusCode).toBe(403);

    const res = await server.app.inject({ method: 'POST', url: `/api/documents/${id}/cancel`, headers: { cookie, 'x-csrf-token': csrf }, payload: { reason: 'duplicate order by phone' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ documentId: id, from: 'rejected' });
    const doc = (await getDocument(db, id!))!;
    expect(doc.state).toBe('cancelled');
    expect(doc.reason).toBe('cancelled by olivia: duplicate order by phone');
    const [audit] = await listAudit(db, { targetKind: 'document', targetId: String(id) });
    expect(audit).toMatchObject({ actor: 'olivia', via: 'session', action: 'documents.cancel', reason: 'duplicate order by phone' });
    expect((await documentTimeline(db, id!)).find((e) => e.id === audit!.eventId)!.message).toBe('cancelled by olivia (was rejected): duplicate order by phone');
    // Cancelled is final: no second cancel, no replay.
    expect((await server.app.inject({ method: 'POST', url: `/api/documents/${id}/cancel`, headers: as('olivia'), payload: { reason: 'again' } })).statusCode).toBe(409);
  });

  it("the document page shows the buttons to an operator only; its forms post with the session's token and come back with the result", async () => {
    const [id] = await rejectedIds();
    const viewer = await login('victor');
    const seen = await server.app.inject({ method: 'GET', url: `/documents/${id}`, headers: { cookie: viewer.cookie } });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain(`action="/documents/${id}/replay"`);
    expect(seen.body).toContain(`href="/documents/${id}/raw"`);
    const viewerPost = await server.app.inject({ method: 'POST', url: `/documents/${id}/replay`, headers: { cookie: viewer.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${viewer.csrf}` });
    expect(viewerPost.statusCode).toBe(403);

    const op = await login('olivia');
    const page = (await server.app.inject({ method: 'GET', url: `/documents/${id}`, headers: { cookie: op.cookie } })).body;
    expect(page).toContain(`action="/documents/${id}/replay"`);
    expect(page).toContain(`action="/documents/${id}/cancel"`);
    expect(page.match(new RegExp(`name="_csrf" value="${op.csrf}"`, 'g'))!.length).toBeGreaterThanOrEqual(3);
    const form = { cookie: op.cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const posted = await server.app.inject({ method: 'POST', url: `/documents/${id}/replay`, headers: form, payload: `_csrf=${op.csrf}&reason=from+the+page` });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/documents/${id}?done=replay`);
    expect((await server.app.inject({ method: 'GET', url: `/documents/${id}?done=replay`, headers: { cookie: op.cookie } })).body).toContain('Replayed: the document went back');
    await settled();
    const noReason = await server.app.inject({ method: 'POST', url: `/documents/${id}/cancel`, headers: form, payload: `_csrf=${op.csrf}&reason=+` });
    expect(noReason.statusCode).toBe(409);
    expect(noReason.body).toContain('a cancel needs a reason');
    expect((await server.app.inject({ method: 'POST', url: `/documents/${id}/cancel`, headers: form, payload: `reason=no+token` })).statusCode).toBe(403);
  });

  it('downloads: the set, the file as received (a safe name) and the acknowledgment we sent, to a viewer too', async () => {
    const files = await listFiles(db, { limit: 50 });
    const pdf = files.find((f) => f.sourceName === 'x<b>y.pdf')!;
    const raw = await server.app.inject({ method: 'GET', url: `/files/${pdf.id}/raw`, headers: as('victor') });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-disposition']).toBe('attachment; filename="x_b_y.pdf"');
    expect(raw.rawPayload.equals(Buffer.from('%PDF-1.4\n'))).toBe(true);
    const good = files.find((f) => f.sourceName === 'good.edi')!;
    expect((await server.app.inject({ method: 'GET', url: `/files/${good.id}/raw`, headers: as('victor') })).rawPayload.equals(GOOD)).toBe(true);

    const posted = (await listDocuments(db, { state: 'posted', limit: 1 })).items[0]!;
    const set = await server.app.inject({ method: 'GET', url: `/documents/${posted.id}/raw`, headers: as('victor') });
    expect(set.statusCode).toBe(200);
    const text = set.rawPayload.toString('latin1');
    expect(text).toMatch(/^ST\*850\*/);
    expect(text).toMatch(/SE\*\d+\*\d+~?\s*$/);
    expect(GOOD.toString('latin1')).toContain(text);
    const ack = await server.app.inject({ method: 'GET', url: `/documents/${posted.id}/acknowledgment`, headers: as('victor') });
    expect(ack.statusCode).toBe(200);
    expect(ack.headers['content-disposition']).toMatch(/^attachment; filename="997-for-interchange-\d+\.x12"$/);
    expect(ack.rawPayload.toString('latin1')).toMatch(/^ISA\*[\s\S]*ST\*997\*/);
    expect((await server.app.inject({ method: 'GET', url: '/documents/999999/raw', headers: as('victor') })).statusCode).toBe(404);
    expect(downloadFileName('../../etc/passwd', 'f')).toBe('passwd');
    expect(downloadFileName('..', 'fallback.x12')).toBe('fallback.x12');
  });

  it('bulk replay: the count first, then the batch, its progress until every document settled; the page and its form', async () => {
    const rejected = await rejectedIds();
    const count = await server.app.inject({ method: 'GET', url: '/api/replays/count?state=rejected&partner=sample', headers: as('victor') });
    expect(count.json()).toEqual({ count: rejected.length, more: false, states: ['rejected'] });
    expect((await server.app.inject({ method: 'POST', url: '/api/replays', headers: as('olivia'), payload: { filter: { state: 'rejected' }, dryCount: true } })).json().count).toBe(rejected.length);
    expect((await server.app.inject({ method: 'GET', url: '/api/replays/count?state=posted', headers: as('victor') })).statusCode).toBe(400);
    expect((await server.app.inject({ method: 'POST', url: '/api/replays', headers: as('victor'), payload: { filter: { state: 'rejected' } } })).statusCode).toBe(403);

    const op = await login('olivia');
    const list = (await server.app.inject({ method: 'GET', url: '/documents?state=rejected', headers: { cookie: op.cookie } })).body;
    expect(list).toContain(`Replay these ${rejected.length} documents`);
    expect((await server.app.inject({ method: 'GET', url: '/documents?state=rejected', headers: as('victor') })).body).not.toContain('Replay these');

    const started = await server.app.inject({ method: 'POST', url: '/api/replays', headers: as('olivia'), payload: { filter: { state: 'rejected', partner: 'sample' }, reason: 'after the fix' } });
    expect(started.statusCode).toBe(202);
    const batch = started.json() as { id: number; replayed: number; skipped: number };
    expect(batch.replayed).toBe(rejected.length);
    const [audit] = await listAudit(db, { targetKind: 'replay_batch', targetId: String(batch.id) });
    expect(audit).toMatchObject({ actor: 'olivia', action: 'documents.replay-bulk', reason: 'after the fix' });
    expect((await documentTimeline(db, rejected[0]!)).some((e) => e.message.includes(`bulk replay ${batch.id}: after the fix`) && e.actor === 'olivia')).toBe(true);

    let progress: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      progress = (await server.app.inject({ method: 'GET', url: `/api/replays/${batch.id}`, headers: as('victor') })).json();
      if (progress.done) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(progress).toMatchObject({ id: batch.id, total: rejected.length, rejected: rejected.length, posted: 0, failed: 0, inFlight: 0, done: true });
    const done = (await server.app.inject({ method: 'GET', url: `/replays/${batch.id}`, headers: { cookie: op.cookie } })).body;
    expect(done).toContain(`${rejected.length} of ${rejected.length} settled`);
    expect(done).not.toContain('http-equiv="refresh"');

    // From the page: the form's post starts a batch and lands on its progress page.
    const form = await server.app.inject({
      method: 'POST', url: '/replays', headers: { cookie: op.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${op.csrf}&state=rejected&partner=sample`,
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toMatch(/^\/replays\/\d+$/);
    const running = (await server.app.inject({ method: 'GET', url: String(form.headers.location), headers: { cookie: op.cookie } })).body;
    expect(running).toMatch(/Bulk replay \d+/);
    await settled();
  });

  it('edi replay --filter prints the count, needs --yes off a terminal, then follows the progress in plain lines; edi cancel', { timeout: 60_000 }, async () => {
    expect(parseFilterOption('state=rejected,failed,partner=sample')).toEqual({ state: 'rejected,failed', partner: 'sample' });
    expect(parseFilterOption('colour=red')).toMatchObject({ error: expect.stringContaining('unknown filter key colour') });
    const capture = () => {
      const lines: string[] = [];
      return { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(`ERR ${t}`), text: () => lines.join('\n') };
    };
    const bar: string[] = [];
    const terminal = { isTTY: false, write: (t: string) => void bar.push(t) };
    const rejected = await rejectedIds();

    const asked = capture();
    expect(await bulkReplayCommand(db, { filter: 'state=rejected,partner=sample' }, asked, terminal)).toBe(64);
    expect(asked.text()).toContain(`${rejected.length} rejected documents match state=rejected,partner=sample`);
    expect(asked.text()).toContain('add --yes');

    const io = capture();
    // Rejected again at the end: exit 1, as edi start --once says of documents not posted.
    expect(await bulkReplayCommand(db, { filter: 'state=rejected,partner=sample', yes: true, actor: 'carol', reason: 'cli run' }, io, terminal)).toBe(1);
    expect(io.text()).toMatch(new RegExp(`bulk replay \\d+: ${rejected.length} sent back to the stage that failed, 0 not replayed \\(as carol\\)`));
    expect(io.text()).toMatch(new RegExp(`0 posted, ${rejected.length} rejected again, 0 failed again, 0 still in flight`));
    expect(bar.length).toBeGreaterThan(0);
    expect(bar.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(bar.at(-1)).toBe(`[${'#'.repeat(24)}] ${rejected.length}/${rejected.length} settled: 0 posted, ${rejected.length} rejected, 0 failed, 0 in flight\n`);
    expect(progressLine({ total: 4, inFlight: 3, posted: 1, rejected: 0, failed: 0 } as never, 8)).toBe('[##------] 1/4 settled: 1 posted, 0 rejected, 0 failed, 3 in flight');

    const [id] = rejected;
    const cancel = capture();
    expect(await cancelCommand(db, String(id), { reason: 'the partner withdrew it', actor: 'carol' }, cancel)).toBe(0);
    expect(cancel.text()).toBe(`document ${id}: rejected -> cancelled (as carol): the partner withdrew it`);
    expect((await listAudit(db, { targetKind: 'document', targetId: String(id) }))[0]).toMatchObject({ actor: 'carol', via: 'cli', action: 'documents.cancel' });
    const again = capture();
    expect(await cancelCommand(db, String(id), { reason: 'x' }, again)).toBe(1);
    expect(again.text()).toContain('is cancelled already');
    const none = capture();
    expect(await cancelCommand(db, String(id), {}, none)).toBe(64);
  });
});

// The AS2 messages in the console and the API: the list both ways, newest first, filtered by partner,
// direction and state, linked from the navigation and the AS2 partner's page; one message with its
// headers (escaped), MIC and MDN disposition, linked to the file or sent document it carries; the
// dashboard's count of MDNs overdue; GET /api/as2/messages in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAs2, type SeededAs2 } from '../support/as2-messages.js';
import { useTestDatabase } from '../support/db.js';
import { startAs2Console, type As2Console } from './as2-console-support.js';

const db = useTestDatabase();
let consoleOf: As2Console;
let seeded: SeededAs2;

beforeAll(async () => {
  consoleOf = await startAs2Console(db, { theirs: { cn: 'BIGBOX' } });
  seeded = await seedAs2(db);
}, 60_000);
afterAll(() => consoleOf?.close());

const get = (url: string, auth = true) => consoleOf.server.app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${consoleOf.token}` } : {} });
/** The ids of the rows of the page's table, in order. */
const rowIds = (body: string) => [...body.matchAll(/<td class="num"><a href="\/as2-messages\/(\d+)">/g)].map((m) => Number(m[1]));

describe('the AS2 messages page', () => {
  it('lists both ways, newest first, with state, MDN and what each carries; linked from the navigation', async () => {
    const r = await get('/as2-messages');
    expect(r.statusCode).toBe(200);
    const s = seeded;
    expect(rowIds(r.body)).toEqual([s.refused.id, s.overdue.id, s.delivered.id, s.unknown.id, s.received.id]);
    expect(r.body).toContain('<a href="/as2-messages" aria-current="page">AS2</a>');
    expect(r.body).toContain(`<a href="/files/${s.fileId}">file ${s.fileId}</a>`);
    expect(r.body).toContain(`<a href="/sent/${s.sentDocumentId}">sent document ${s.sentDocumentId}</a>`);
    expect(r.body).toContain(`outbound entry ${s.overdueEntry}`);
    expect(r.body).toContain('<span class="muted">unknown: STRANGER</span>');
    expect(r.body).toContain('async, failed, automatic-action/MDN-sent-automatically; processed/error: authentication-failed');
    expect(r.body).toContain('the partner refused the message: decryption-failed [AS2_MDN_NEGATIVE]');
  });

  it('filters by partner, direction and state; an unknown value filters nothing', async () => {
    const s = seeded;
    expect(rowIds((await get('/as2-messages?direction=in')).body)).toEqual([s.unknown.id, s.received.id]);
    expect(rowIds((await get('/as2-messages?partner=bigbox&direction=out')).body)).toEqual([s.refused.id, s.overdue.id, s.delivered.id]);
    expect(rowIds((await get('/as2-messages?state=mdn-overdue')).body)).toEqual([s.overdue.id]);
    expect(rowIds((await get('/as2-messages?partner=nobody')).body)).toEqual([]);
    expect(rowIds((await get('/as2-messages?direction=sideways&state=bogus')).body)).toHaveLength(5);
    expect((await get('/as2-messages?partner=nobody')).body).toContain('No AS2 message matches.');
  });

  it('shows one message: ids, MIC, MDN disposition, headers escaped, the sizes of what is kept', async () => {
    const r = await get(`/as2-messages/${seeded.received.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<dt>Message-ID</dt><dd>&lt;in-1@bigbox.example&gt;</dd>');
    expect(r.body).toContain('<dt>AS2-From / AS2-To</dt><dd>BIGBOX / OURCO</dd>');
    expect(r.body).toContain('<dt>MIC</dt><dd>bWljLXZhbHVl, sha-256</dd>');
    expect(r.body).toContain('sync, automatic-action/MDN-sent-automatically; processed');
    expect(r.body).toContain('20 bytes');
    expect(r.body).toContain('<td>subject</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(r.body).not.toContain('<script>');
    expect(r.body).toContain('<a href="/as2-messages?partner=bigbox">All AS2 messages of bigbox</a>');
  });

  it('answers 404 for a message that does not exist, and sends a visitor not logged in to the login page', async () => {
    expect((await get('/as2-messages/999999')).statusCode).toBe(404);
    expect((await get('/as2-messages/abc')).statusCode).toBe(404);
    const r = await get('/as2-messages', false);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/login');
  });

  it('is linked from the AS2 partner on the partners page, and the dashboard counts the MDNs overdue', async () => {
    expect((await get('/partners')).body).toContain('<dt>AS2 messages</dt><dd><a href="/as2-messages?partner=bigbox">received from and sent to bigbox</a></dd>');
    expect((await get('/')).body).toContain('AS2 MDNs overdue: <a href="/as2-messages?state=mdn-overdue">1</a>');
  });
});

describe('GET /api/as2/messages', () => {
  it('lists without bytes, filtered as the page, and shows one with its headers and MDN', async () => {
    const r = await get('/api/as2/messages?partner=bigbox&direction=out&limit=2');
    expect(r.statusCode).toBe(200);
    const list = r.json() as Array<Record<string, unknown>>;
    expect(list.map((m) => m.id)).toEqual([seeded.refused.id, seeded.overdue.id]);
    expect(list[0]).toMatchObject({ state: 'mdn-error', messageId: '<out-3@ourco.example>', outboundId: seeded.refusedEntry, mdnDisposition: expect.stringContaining('decryption-failed') });
    expect(JSON.stringify(list)).not.toContain('SENT <out-3');
    const one = (await get(`/api/as2/messages/${seeded.unknown.id}`)).json() as Record<string, any>;
    expect(one).toMatchObject({ partner: null, from: 'STRANGER', mdnState: 'failed', mdnUrl: 'https://stranger.example/mdn', bodyBytes: 1, mdn: { bytes: 7, contentType: 'multipart/report; boundary=c' } });
    expect(one.reason).toContain('ECONNREFUSED');
    expect((await get('/api/as2/messages/999999')).statusCode).toBe(404);
    expect((await get('/api/as2/messages?state=bogus')).statusCode).toBe(400);
    expect((await get('/api/as2/messages', false)).statusCode).toBe(401);
  });

  it('is in the OpenAPI document with its query parameters', async () => {
    const doc = (await get('/api/openapi.json')).json() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    expect(doc.paths['/api/as2/messages']!.get!.parameters!.map((p) => p.name)).toEqual(['partner', 'direction', 'state', 'limit']);
    expect(doc.paths['/api/as2/messages/{id}']!.get).toBeDefined();
  });
});

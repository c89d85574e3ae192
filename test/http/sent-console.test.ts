// The documents we send in the console and the API: listed and shown with the X12 sent; a resend by
// an operator (API token, or a session with its CSRF token) queues the same bytes again, audited
// with who and why and on the timeline; a viewer sees no action and the API refuses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { resendOutbound, type ActionBy } from '../../src/jobs/outbound-actions.js';
import { wakeChannel } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logging/logger.js';
import { partnerDirectory } from '../../src/partners/index.js';
import {
  addApiToken, addUser, insertOutboundDocument, listAudit, markOutboundDocumentSent, outboundDocumentTimeline, queueOutbound, type Actor,
} from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const ADMIN: Actor = { name: 'test', via: 'cli' };
const PASSWORD = 'a long enough password';
const X12 = 'ISA*00*          *00*          *ZZ*OURCOMPANY     *ZZ*ACME           *261207*1000*U*00401*000000042*0*P*>~\nST*855*0001~\n';
let server: HttpServer;
let documentId = 0;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const entry = (await queueOutbound(db, { partner: 'acme', kind: '855', sourceKey: 'outbound:sale.order:5:855:1', payload: X12 }))!;
  const doc = await insertOutboundDocument(db, { model: 'sale.order', recordId: 5, setId: '855', generation: 1 }, {
    partner: 'acme', sourceName: 'S00005', sourceVersion: '2026-12-07 09:00:00', state: 'built', reason: null, document: { poNumber: 'PO-5', lines: [] },
    interchangeControl: '000000042', groupControl: '42', controlNumber: '0001', outboundId: entry.id, ackWindowSeconds: 86_400,
  }, { stage: 'outbound', actor: 'system', message: 'built' });
  await markOutboundDocumentSent(db, entry.id, '/inbox/855_42.edi');
  documentId = doc.id;
  const passwordHash = await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 });
  for (const [username, role] of [['olga', 'operator'], ['victor', 'viewer']] as const) {
    await addUser(db, { username, passwordHash, role }, ADMIN);
    tokens[username] = newApiToken();
    await addApiToken(db, username, { tokenHash: secretHash(tokens[username]!), label: 'test' }, ADMIN);
  }
  const outboundActions = {
    resend: (id: number, by: ActionBy) => resendOutbound({ db, queue: { channel: wakeChannel(db.schema) } }, id, by),
    regenerate: async () => ({ refused: 'no Odoo here' }),
  };
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  for (const plugin of operationsConsole({ db, partners: partnerDirectory(), log: silentLogger, outboundActions })) server.register(plugin);
  await server.app.ready();
});
afterAll(async () => server?.close());

const api = (method: 'GET' | 'POST', url: string, user: string, payload?: object) =>
  server.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[user]}` }, ...(payload ? { payload } : {}) });

async function session(username: string): Promise<{ cookie: string; csrf: string }> {
  const r = await server.app.inject({ method: 'POST', url: '/login', payload: { username, password: PASSWORD } });
  expect(r.statusCode).toBe(200);
  return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: (r.json() as { csrfToken: string }).csrfToken };
}

describe('documents we send, in the API and the console', () => {
  it('lists and shows one with its deliveries and the X12 sent', async () => {
    const list = (await api('GET', '/api/outbound-documents?state=sent', 'victor')).json() as Array<{ id: number }>;
    expect(list.map((d) => d.id)).toContain(documentId);
    const view = (await api('GET', `/api/outbound-documents/${documentId}`, 'victor')).json() as { document: { state: string }; x12: string; deliveries: Array<{ resend: boolean; payload?: string }> };
    expect(view.document.state).toBe('sent');
    expect(view.x12).toBe(X12);
    expect(view.deliveries).toHaveLength(1);
    expect(view.deliveries[0]).toMatchObject({ resend: false });
    expect(view.deliveries[0]!.payload).toBeUndefined();
  });

  it('a viewer may not resend; an operator resends the same bytes, audited with who and why and on the timeline', async () => {
    expect((await api('POST', `/api/outbound-documents/${documentId}/resend`, 'victor', { reason: 'x' })).statusCode).toBe(403);
    const r = await api('POST', `/api/outbound-documents/${documentId}/resend`, 'olga', { reason: 'the partner lost it' });
    expect(r.statusCode).toBe(200);
    const outboundId = (r.json() as { resent: { outboundId: number } }).resent.outboundId;
    const audit = await listAudit(db);
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'olga', via: 'token', action: 'outbound.resend', targetId: String(documentId), reason: 'the partner lost it' }));
    const timeline = await outboundDocumentTimeline(db, documentId);
    expect(timeline.at(-1)).toMatchObject({ actor: 'olga', stage: 'resend' });
    expect(timeline.at(-1)!.message).toContain(`outbound entry ${outboundId}`);
    const view = (await api('GET', `/api/outbound-documents/${documentId}`, 'olga')).json() as { deliveries: Array<{ id: number; resend: boolean }> };
    expect(view.deliveries).toContainEqual(expect.objectContaining({ id: outboundId, resend: true }));
    expect((await api('POST', `/api/outbound-documents/${documentId}/regenerate`, 'olga', {})).statusCode).toBe(409);
  });

  it('the page shows the actions to an operator only; the form needs the session CSRF token', async () => {
    const viewer = await session('victor');
    const seen = await server.app.inject({ method: 'GET', url: `/sent/${documentId}`, headers: { cookie: viewer.cookie } });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('/resend"');
    const operator = await session('olga');
    const page = await server.app.inject({ method: 'GET', url: `/sent/${documentId}`, headers: { cookie: operator.cookie } });
    expect(page.body).toContain(`action="/sent/${documentId}/resend"`);
    expect(page.body).toContain('ST*855*0001~');
    const form = (csrf: string) => server.app.inject({
      method: 'POST', url: `/sent/${documentId}/resend`, headers: { cookie: operator.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, reason: 'again' }).toString(),
    });
    expect((await form('wrong')).statusCode).toBe(403);
    const done = await form(operator.csrf);
    expect(done.statusCode).toBe(303);
    expect(decodeURIComponent(String(done.headers.location))).toMatch(/queued for delivery again as outbound entry \d+/);
    const byViewer = await server.app.inject({
      method: 'POST', url: `/sent/${documentId}/resend`, headers: { cookie: viewer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: viewer.csrf }).toString(),
    });
    expect(byViewer.statusCode).toBe(403);
  });

  it('a visitor who is not logged in is sent to the login page; the API answers 401', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/sent' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/login');
    expect((await server.app.inject({ method: 'GET', url: '/api/outbound-documents' })).statusCode).toBe(401);
  });
});

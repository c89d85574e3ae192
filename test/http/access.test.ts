// Access over HTTP with real PostgreSQL: login, cookie flags, sessions, CSRF, roles, API tokens, the
// login rate limit (with a moved clock), the first-admin message, one login over a real socket, and
// no secret in the logs.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { cliLogger } from '../../src/cli/log.js';
import { accessRoutes, actorOf, FIRST_ADMIN_MESSAGE, requireRole } from '../../src/http/auth.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import {
  addApiToken, addDocuments, addUser, documentTimeline, listAudit, recordAction, recordInterchange, revokeApiToken, storeFile, type Actor,
} from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const FAST = { ln: 10, r: 8, p: 1 };
const ADMIN: Actor = { name: 'test', via: 'cli' };
let clock = new Date('2026-12-07T10:00:00Z');
const logLines: string[] = [];
let server: HttpServer;
let documentId: number;
const issuedTokens: string[] = [];

beforeAll(async () => {
  const log = cliLogger({ level: 'debug', format: 'json', write: (l) => void logLines.push(l) });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log });
  server.register(accessRoutes({ db, log, now: () => clock, scrypt: FAST }));
  // A console action as the later pages will write it: operator and up, audited onto the document's timeline.
  server.register(async (app) => {
    app.post<{ Params: { id: string }; Body: { reason?: string } }>('/api/documents/:id/note', { preHandler: requireRole('operator') }, async (request) => {
      const entry = await recordAction(db, actorOf(request), {
        action: 'documents.note', targetKind: 'document', targetId: request.params.id, reason: request.body?.reason ?? null,
        timeline: { documentId: Number(request.params.id), message: 'noted' },
      });
      return { audit: entry.id };
    });
    app.get('/api/secret-reading', { preHandler: requireRole('viewer') }, async (request) => ({ hello: request.user!.username }));
  });
  await server.app.ready();
});
afterAll(() => server.close());

const inject = (opts: InjectOptions) => server.app.inject(opts);

async function user(username: string, role: 'viewer' | 'operator' | 'admin', password = `${username} password 123`) {
  await addUser(db, { username, role, passwordHash: await hashPassword(password, FAST) }, ADMIN);
  return password;
}

async function login(username: string, password: string, address = '127.0.0.1') {
  const res = await inject({ method: 'POST', url: '/login', payload: { username, password }, remoteAddress: address });
  const cookie = String(res.headers['set-cookie'] ?? '');
  return { res, cookie: cookie.split(';')[0]!, setCookie: cookie, csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '' };
}

async function seedDocument(): Promise<number> {
  const { file } = await storeFile(db, { partner: 'acme', channel: 'folder', sourceName: 'po.edi', bytes: Buffer.from('HEADST*850*0001~SE*2*0001~') });
  const { interchange } = await recordInterchange(db, {
    fileId: file.id, byteOffset: 0, byteLength: 20, senderQualifier: 'ZZ', senderId: 'ACME', receiverQualifier: 'ZZ', receiverId: 'US',
    controlNumber: '000000001', usage: 'P', state: 'accepted',
  });
  const [doc] = await addDocuments(db, [{ fileId: file.id, interchangeId: interchange.id, groupControl: '1', version: '004010', setId: '850', controlNumber: '0001', byteOffset: 4, byteLength: 20 }]);
  return doc!.id;
}

describe('access', () => {
  it('with nobody yet, says how to create the first admin', async () => {
    expect((await inject({ method: 'GET', url: '/api/access' })).json()).toEqual({ needsFirstAdmin: true, message: FIRST_ADMIN_MESSAGE });
    const res = await inject({ method: 'POST', url: '/login', payload: { username: 'admin', password: 'admin' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toContain('npm run edi -- users add NAME --admin');
    documentId = await seedDocument();
  });

  it('logs in: a session cookie with HttpOnly, SameSite=Lax, Path=/ (Secure unless plain http on loopback); /api/me knows the user', async () => {
    const password = await user('Olivia', 'operator');
    expect((await inject({ method: 'GET', url: '/api/access' })).json()).toEqual({ needsFirstAdmin: false });
    const { res, cookie, setCookie, csrf } = await login('olivia', password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'Olivia', role: 'operator' } });
    expect(setCookie).toMatch(/^edi_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const me = await inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ username: 'Olivia', role: 'operator', via: 'session', csrfToken: csrf, can: { 'documents.replay': true, 'users.manage': false } });
    // Only the token's hash is stored.
    const stored = await db.query<{ token_hash: string }>(`SELECT token_hash FROM ${db.schema}.sessions`);
    expect(stored.rows.map((r) => r.token_hash)).toContain(secretHash(cookie.split('=')[1]!));
    // Behind a TLS proxy, or from another machine, the cookie is Secure.
    const proxied = await inject({ method: 'POST', url: '/login', payload: { username: 'olivia', password }, headers: { 'x-forwarded-proto': 'https' } });
    expect(String(proxied.headers['set-cookie'])).toMatch(/; Secure$/);
    const remote = await inject({ method: 'POST', url: '/login', payload: { username: 'olivia', password }, remoteAddress: '192.0.2.7' });
    expect(String(remote.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('logs in from a form and is redirected; a wrong password or an unknown name gets the same 401', async () => {
    const password = await user('fiona', 'viewer');
    const form = await inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `username=fiona&password=${encodeURIComponent(password)}` });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/');
    const wrong = await login('fiona', 'not the password', '10.0.0.1');
    const nobody = await login('nobody-here', 'not the password', '10.0.0.1');
    expect([wrong.res.statusCode, nobody.res.statusCode]).toEqual([401, 401]);
    expect(wrong.res.json()).toEqual(nobody.res.json());
  });

  it('logout ends the session in the database: the cookie is refused afterwards', async () => {
    const password = await user('lou', 'viewer');
    const { cookie, csrf } = await login('lou', password);
    expect((await inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await inject({ method: 'POST', url: '/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.json()).toEqual({ ended: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const ended = await db.query(`SELECT 1 FROM ${db.schema}.sessions s JOIN ${db.schema}.users u ON u.id = s.user_id WHERE u.username = 'lou' AND ended_at IS NOT NULL`);
    expect(ended.rowCount).toBe(1);
  });

  it('refuses a mutating request made with the cookie but without its CSRF token; accepts it with the header or the form field', async () => {
    const password = await user('carl', 'operator');
    const { cookie, csrf } = await login('carl', password);
    const url = `/api/documents/${documentId}/note`;
    const none = await inject({ method: 'POST', url, headers: { cookie }, payload: {} });
    expect(none.statusCode).toBe(403);
    expect(none.json().error).toMatch(/CSRF/);
    expect((await inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': 'forged' }, payload: {} })).statusCode).toBe(403);
    expect((await inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf }, payload: { reason: 'checked with acme' } })).statusCode).toBe(200);
    const form = await inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&reason=again` });
    expect(form.statusCode).toBe(200);
  });

  it("refuses a viewer with 403 where the operator role is needed, allows an operator, and puts the action on the document's timeline", async () => {
    const vPass = await user('vera', 'viewer');
    const viewer = await login('vera', vPass);
    const url = `/api/documents/${documentId}/note`;
    const refused = await inject({ method: 'POST', url, headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload: {} });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatch(/operator/);
    expect((await inject({ method: 'GET', url: '/api/secret-reading', headers: { cookie: viewer.cookie } })).json()).toEqual({ hello: 'vera' });
    expect((await inject({ method: 'GET', url: '/api/secret-reading' })).statusCode).toBe(401);

    const oPass = await user('otto', 'operator');
    const operator = await login('otto', oPass);
    const ok = await inject({ method: 'POST', url, headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf }, payload: { reason: 'asked by acme' } });
    expect(ok.statusCode).toBe(200);
    const [audit] = await listAudit(db, { targetKind: 'document', targetId: String(documentId), actor: 'otto' });
    expect(audit).toMatchObject({ action: 'documents.note', via: 'session', reason: 'asked by acme' });
    const timeline = await documentTimeline(db, documentId);
    const event = timeline.find((e) => e.id === audit!.eventId);
    expect(event).toMatchObject({ actor: 'otto', stage: 'ops', message: 'noted', details: { action: 'documents.note', reason: 'asked by acme', via: 'session' } });
  });

  it('accepts an API token without CSRF, with its owner\'s role; a revoked or unknown token is refused', async () => {
    await user('robot', 'operator');
    const token = newApiToken();
    issuedTokens.push(token);
    const created = await addApiToken(db, 'robot', { tokenHash: secretHash(token), label: 'nightly' }, ADMIN);
    const url = `/api/documents/${documentId}/note`;
    const ok = await inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(ok.statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ username: 'robot', via: 'token' });
    await revokeApiToken(db, created!.id, ADMIN);
    expect((await inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: {} })).statusCode).toBe(401);
    expect((await inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${newApiToken()}` } })).statusCode).toBe(401);
  });

  it('answers 429 with Retry-After after 5 failed logins for a name, and lets the right password in once the window has passed', async () => {
    const password = await user('rita', 'viewer');
    for (let i = 0; i < 5; i++) expect((await login('rita', `wrong ${i}`, `10.1.0.${i}`)).res.statusCode).toBe(401);
    clock = new Date(clock.getTime() + 60_000);
    const limited = await login('rita', password, '10.1.0.9');
    expect(limited.res.statusCode).toBe(429);
    expect(limited.res.headers['retry-after']).toBe(String(14 * 60));
    clock = new Date(clock.getTime() + 14 * 60_000 + 1000);
    expect((await login('rita', password, '10.1.0.9')).res.statusCode).toBe(200);
  });

  it('answers 429 after 20 failed logins from one address, whatever the names', async () => {
    for (let i = 0; i < 20; i++) expect((await login(`name${i}`, 'wrong password', '10.2.0.1')).res.statusCode).toBe(401);
    const limited = await login('olivia', 'Olivia password 123', '10.2.0.1');
    expect(limited.res.statusCode).toBe(429);
    expect(Number(limited.res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('olivia', 'Olivia password 123', '10.2.0.2')).res.statusCode).toBe(200);
  });

  it('an idle session ends after its idle timeout', async () => {
    const password = await user('ida', 'viewer');
    const { cookie } = await login('ida', password);
    clock = new Date(clock.getTime() + 2 * 3600_000 + 1000);
    expect((await inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('logs in over a real loopback socket and uses the cookie', async () => {
    const password = await user('sam', 'operator');
    const { url } = await server.listen();
    const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(res.headers.get('set-cookie')).not.toContain('Secure');
    const me = await fetch(`${url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ username: 'sam', role: 'operator' });
  });

  it('writes no password, session cookie, CSRF token or API token to the log', async () => {
    const secrets = ['Olivia password 123', 'rita password 123', 'sam password 123'];
    const all = logLines.join('');
    expect(all).toContain('logged in');
    expect(all).toContain('login failed');
    for (const s of [...secrets, ...issuedTokens]) expect(all).not.toContain(s);
    expect(issuedTokens).toHaveLength(1);
    const sessions = await db.query<{ csrf_token: string }>(`SELECT csrf_token FROM ${db.schema}.sessions`);
    for (const r of sessions.rows) expect(all).not.toContain(r.csrf_token);
    // Whoever logs a request's headers or a password by mistake: redacted.
    const log = cliLogger({ format: 'json', write: (l) => void logLines.push(l) });
    log.warn({ headers: { cookie: 'edi_session=SECRETCOOKIE', authorization: 'Bearer edi_SECRETTOKEN' }, password: 'SECRETPASS', body: { password: 'SECRETPASS2' } }, 'oops');
    const last = logLines.at(-1)!;
    expect(last).toContain('oops');
    for (const s of ['SECRETCOOKIE', 'SECRETTOKEN', 'SECRETPASS']) expect(last).not.toContain(s);
  });
});

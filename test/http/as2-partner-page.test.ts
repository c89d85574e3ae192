// The console's partners page and GET /api/partners for an AS2 partner: the partner's certificate
// and ours with subject, serial, not-after and days left; what to give the partner (our AS2 id,
// URL and certificate); the private key only as where it is read from.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { addApiToken, addUser } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { as2Yaml, gatewayAs2Yaml, makeCert, notAfterOf, serialOf, type Made } from '../partners/as2-support.js';
import { GATEWAY_YAML, partnersFolder } from '../partners/support.js';

const db = useTestDatabase();
let server: HttpServer;
let token = '';
let keys: string;
let ours: Made, theirs: Made;
let remove: () => Promise<void> = async () => {};

beforeAll(async () => {
  keys = mkdtempSync(join(tmpdir(), 'edi-as2-page-'));
  ours = makeCert(keys, 'ours', { cn: 'OURCO' });
  theirs = makeCert(keys, 'theirs', { cn: 'BIGBOX<&>', days: 30 });
  const f = await partnersFolder({
    '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, 'id: OURCO\nurl: https://edi.example.com/as2/OURCO\ncertificate: { file: certs/ours.pem }\nprivateKey: { file: certs/ours.key }'),
    'bigbox.yaml': as2Yaml('BIGBOX', 'BIGBOX', 'url: https://as2.bigbox.example/as2\ncertificate: { file: certs/theirs.pem }\noutbound: { encrypt: aes128-gcm, keyTransport: rsa-oaep }'),
  });
  remove = f.remove;
  mkdirSync(join(f.dir, 'certs'));
  for (const name of ['ours.pem', 'ours.key', 'theirs.pem']) copyFileSync(join(keys, name), join(f.dir, 'certs', name));
  const loaded = await loadPartners(f.dir, {});
  expect(loaded.errors).toEqual([]);
  await addUser(db, { username: 'vic', role: 'viewer', passwordHash: await hashPassword('vic password 123', { ln: 10, r: 8, p: 1 }) }, { name: 'test', via: 'cli' });
  token = newApiToken();
  await addApiToken(db, 'vic', { tokenHash: secretHash(token), label: 'test' }, { name: 'test', via: 'cli' });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  const outboundActions = { resend: async () => ({ notFound: true as const }), regenerate: async () => ({ notFound: true as const }) };
  for (const plugin of operationsConsole({ db, partners: partnerDirectory(loaded), log: silentLogger, outboundActions })) server.register(plugin);
  await server.app.ready();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await remove();
  rmSync(keys, { recursive: true, force: true });
});

const get = (url: string) => server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('an AS2 partner in the console', () => {
  it('the partners page: both certificates with their expiry, how we send, and what to give the partner', async () => {
    const r = await get('/partners');
    expect(r.statusCode).toBe(200);
    const body = r.body;
    expect(body).toContain('AS2: their id BIGBOX, ours OURCO; we send to https://as2.bigbox.example/as2');
    expect(body).toContain('signed sha256, encrypted aes128-gcm (rsa-oaep); MDN sync, signed sha256');
    // The subject is the partner's text (node escapes < and > in names as RFC 2253 does): HTML-escaped.
    expect(body).toContain(`<dt>Their certificate</dt><dd>CN=BIGBOX\\&lt;&amp;\\&gt;, O=Test, serial ${serialOf(theirs.cert)}, not after ${notAfterOf(theirs.cert)} <span class="muted">(29 day(s) left)</span></dd>`);
    expect(body).toContain(`<dt>Our certificate</dt><dd>CN=OURCO, O=Test, serial ${serialOf(ours.cert)}, not after ${notAfterOf(ours.cert)} <span class="muted">(364 day(s) left)</span></dd>`);
    expect(body).toMatch(/<dt>our private key<\/dt><dd>from file \S+\/certs\/ours\.key <span class="muted">\(value not shown\)<\/span><\/dd>/);
    expect(body).toContain('our AS2 id <strong>OURCO</strong>, our URL https://edi.example.com/as2/OURCO');
    // Our certificate as PEM (public: it goes to the partner); the key never.
    const pem = readFileSync(ours.cert, 'utf8').trim();
    expect(body).toContain(pem.split('\n')[1]);
    expect(body).not.toContain('PRIVATE KEY');
    expect(body).not.toContain(readFileSync(ours.key, 'utf8').split('\n')[1]);
  });

  it('GET /api/partners: certificates as facts (expiry first), ours also as PEM, the key only as its source', async () => {
    const r = await get('/api/partners');
    expect(r.statusCode).toBe(200);
    const [bigbox] = (r.json() as { partners: Array<Record<string, any>> }).partners;
    expect(bigbox!.transport.certificates).toEqual([
      expect.objectContaining({ subject: 'CN=BIGBOX\\<&\\>, O=Test', serial: serialOf(theirs.cert), notAfter: expect.stringMatching(new RegExp(`^${notAfterOf(theirs.cert)}T`)), daysLeft: 29, expired: false }),
    ]);
    expect(bigbox!.transport.ourKeys).toMatchObject({ id: 'OURCO', url: 'https://edi.example.com/as2/OURCO', certificates: [expect.objectContaining({ subject: 'CN=OURCO, O=Test', daysLeft: 364 })] });
    expect(bigbox!.transport.ourKeys.certificatePem).toContain('-----BEGIN CERTIFICATE-----');
    expect(bigbox!.secrets).toEqual({ 'as2.privateKey': { from: 'file', ref: expect.stringMatching(/\/certs\/ours\.key$/) } });
    expect(bigbox!.expiries).toHaveLength(2);
    expect(r.body).not.toContain('PRIVATE KEY');
  });
});

// The console's partners page and GET /api/partners for an AS2 partner: the partner's certificate
// and ours with subject, serial, not-after and days left; what to give the partner (our AS2 id,
// URL and certificate); the private key only as where it is read from.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { notAfterOf, serialOf } from '../partners/as2-support.js';
import { startAs2Console, type As2Console } from './as2-console-support.js';

const db = useTestDatabase();
let consoleOf: As2Console;

beforeAll(async () => {
  consoleOf = await startAs2Console(db, { theirs: { cn: 'BIGBOX<&>', days: 30 }, outbound: 'outbound: { encrypt: aes128-gcm, keyTransport: rsa-oaep }' });
}, 60_000);
afterAll(() => consoleOf?.close());

const get = (url: string) => consoleOf.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${consoleOf.token}` } });

describe('an AS2 partner in the console', () => {
  it('the partners page: both certificates with their expiry, how we send, and what to give the partner', async () => {
    const r = await get('/partners');
    expect(r.statusCode).toBe(200);
    const body = r.body;
    expect(body).toContain('AS2: their id BIGBOX, ours OURCO; we send to https://as2.bigbox.example/as2');
    expect(body).toContain('signed sha256, encrypted aes128-gcm (rsa-oaep); MDN sync, signed sha256');
    // The subject is the partner's text (node escapes < and > in names as RFC 2253 does): HTML-escaped.
    // 29 days left is within the expiring alert's 30: SOON, as edi partners check says; 364 is not.
    expect(body).toContain(`<dt>Their certificate</dt><dd>CN=BIGBOX\\&lt;&amp;\\&gt;, O=Test, serial ${serialOf(consoleOf.theirs.cert)}, not after ${notAfterOf(consoleOf.theirs.cert)} <strong class="problem">SOON: 29 day(s) left, arrange the renewal</strong></dd>`);
    expect(body).toContain(`<dt>Our certificate</dt><dd>CN=OURCO, O=Test, serial ${serialOf(consoleOf.ours.cert)}, not after ${notAfterOf(consoleOf.ours.cert)} <span class="muted">(364 day(s) left)</span></dd>`);
    expect(body).toMatch(/<dt>our private key<\/dt><dd>from file \S+\/certs\/ours\.key <span class="muted">\(value not shown\)<\/span><\/dd>/);
    expect(body).toContain('our AS2 id <strong>OURCO</strong>, our URL https://edi.example.com/as2/OURCO');
    // Our certificate as PEM (public: it goes to the partner); the key never.
    const pem = readFileSync(consoleOf.ours.cert, 'utf8').trim();
    expect(body).toContain(pem.split('\n')[1]);
    expect(body).not.toContain('PRIVATE KEY');
    expect(body).not.toContain(readFileSync(consoleOf.ours.key, 'utf8').split('\n')[1]);
  });

  it('GET /api/partners: certificates as facts (expiry first), ours also as PEM, the key only as its source', async () => {
    const r = await get('/api/partners');
    expect(r.statusCode).toBe(200);
    const [bigbox] = (r.json() as { partners: Array<Record<string, any>> }).partners;
    expect(bigbox!.transport.certificates).toEqual([
      expect.objectContaining({ subject: 'CN=BIGBOX\\<&\\>, O=Test', serial: serialOf(consoleOf.theirs.cert), notAfter: expect.stringMatching(new RegExp(`^${notAfterOf(consoleOf.theirs.cert)}T`)), daysLeft: 29, expired: false }),
    ]);
    expect(bigbox!.transport.ourKeys).toMatchObject({ id: 'OURCO', url: 'https://edi.example.com/as2/OURCO', certificates: [expect.objectContaining({ subject: 'CN=OURCO, O=Test', daysLeft: 364 })] });
    expect(bigbox!.transport.ourKeys.certificatePem).toContain('-----BEGIN CERTIFICATE-----');
    expect(bigbox!.secrets).toEqual({ 'as2.privateKey': { from: 'file', ref: expect.stringMatching(/\/certs\/ours\.key$/) } });
    expect(bigbox!.expiries).toHaveLength(2);
    expect(r.body).not.toContain('PRIVATE KEY');
  });
});

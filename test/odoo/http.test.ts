// The Odoo client's HTTP exchange (src/odoo/client/http.ts) on a real loopback server: the timeout
// covers the whole answer, a connection cut mid-answer is a network failure, connections are kept
// open between calls, and a redirect is an answer, not followed.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, postJson } from '../../src/odoo/client/http.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(answer: (res: ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => answer(res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jsonrpc`, connections: () => connections };
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; message: string });

describe('Odoo HTTP exchange', () => {
  it('sends the JSON body and reads the answer over one kept-open connection', async () => {
    const s = await serve((res, body) => res.end(JSON.stringify({ echo: JSON.parse(body) })));
    for (let i = 0; i < 5; i++) {
      const answer = await postJson(s.url, { n: i, text: 'Ünïcødé' }, { timeoutMs: 2000, what: 'a test call' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ echo: { n: i, text: 'Ünïcødé' } });
    }
    expect(s.connections()).toBe(1);
  });

  it('times out when the answer stops half-way, naming the call and the limit', async () => {
    const s = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result": ');
    });
    const started = Date.now();
    const error = await failure(postJson(s.url, {}, { timeoutMs: 300, what: 'sale.order.create' }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'ODOO_TIMEOUT' });
    expect(error!.message).toMatch(/did not answer sale.order.create within 300 ms/);
  });

  it('reports a connection cut mid-answer as unreachable, not as an answer', async () => {
    const s = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"result": ');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await failure(postJson(s.url, {}, { timeoutMs: 2000, what: 'sale.order.read' }));
    expect(error).toMatchObject({ code: 'ODOO_UNREACHABLE' });
    expect(error!.message).toMatch(/cannot reach Odoo at http:\/\/127\.0\.0\.1:\d+ for sale.order.read/);
  });

  it('returns a redirect as it came (a login page is explained by the caller, not followed)', async () => {
    const s = await serve((res) => {
      res.writeHead(303, { location: '/web/login' });
      res.end();
    });
    const answer = await getJson(s.url, { timeoutMs: 2000, what: 'web/version' });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/web/login');
  });
});

// The double answers the captured requests the way real Odoo 18 / 19 did (captured-pairs.json holds
// exchanges captured from real 18.0 and 19.0 servers), and its faults look like the real failures.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOdooDouble, type OdooDouble } from './index.js';
import { json2Raw, jsonRpcRaw, ormClient, WireError } from './wire.js';

interface Pair {
  title: string;
  version: 18 | 19;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  responseHeaders: Record<string, string>;
  response: string;
  truncated?: boolean;
}

const { pairs } = JSON.parse(readFileSync(new URL('./captured-pairs.json', import.meta.url), 'utf8')) as { pairs: Pair[] };

/** Same JSON shape: same types, same object keys (first array element), values free. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

const doubles: OdooDouble[] = [];
async function start(version: 18 | 19, extra: Partial<Parameters<typeof startOdooDouble>[0]> = {}) {
  const d = await startOdooDouble({ version, ...extra });
  doubles.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(doubles.splice(0).map((d) => d.close()));
});

describe('captured request/response pairs', () => {
  it.each(pairs.map((p) => [`${p.version}: ${p.title}`, p] as const))('%s', async (_title, pair) => {
    const d = await start(pair.version);
    const headers = Object.fromEntries(
      Object.entries(pair.headers).map(([k, v]) => [k, v.replace(/<API_KEY_1[89]>/, d.apiKey)]),
    );
    const res = await fetch(`${d.url}${pair.path}`, {
      method: pair.method,
      headers,
      body: pair.method === 'GET' ? undefined : pair.body.replace(/<API_KEY_1[89]>/g, d.apiKey),
      redirect: 'manual',
    });
    const text = await res.text();
    expect(res.status).toBe(pair.status);
    if (!/^[[{]/.test(pair.response)) {
      // HTML answers (303 redirect, 415): same kind of body, same redirect target.
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(text.slice(0, 60)).toBe(pair.response.slice(0, 60));
      if (pair.status === 303) expect(pair.response).toContain(res.headers.get('location'));
      return;
    }
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const got = JSON.parse(text) as Record<string, unknown>;
    const want = JSON.parse(pair.response) as Record<string, unknown>;
    if ('WWW-Authenticate' in pair.responseHeaders) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const error = (want.error as { data: Record<string, unknown> } | undefined) ?? (pair.status !== 200 ? want : undefined);
    if (!error) {
      expect(Object.keys(got)).toEqual(Object.keys(want));
      expect(shape(got)).toEqual(shape(want));
      return;
    }
    if (want.error) {
      const { data, ...envelope } = got.error as { data: Record<string, unknown> };
      const { data: wantData, ...wantEnvelope } = want.error as { data: Record<string, unknown> };
      expect({ id: got.id, jsonrpc: got.jsonrpc, ...envelope }).toEqual({ id: want.id, jsonrpc: want.jsonrpc, ...wantEnvelope });
      expect(Object.keys(data).sort()).toEqual(['arguments', 'context', 'debug', 'message', 'name']);
      const keys = pair.truncated ? ['name'] : ['name', 'message', 'arguments', 'context'];
      for (const k of keys) expect(data[k]).toEqual(wantData[k]);
      return;
    }
    expect(Object.keys(got).sort()).toEqual([...Object.keys(want), 'debug'].sort());
    for (const k of Object.keys(want)) expect(got[k]).toEqual(want[k]);
  });
});

describe.each([18, 19] as const)('Odoo %i envelopes', (version) => {
  it('omits "result" on JSON-RPC and answers null on JSON-2 when a method returns None', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    const vendor = await orm('res.partner', 'create', [{ name: 'Vendor' }]);
    const po = await orm('purchase.order', 'create', [{ partner_id: vendor }]);
    // purchase.order.button_cancel returns None.
    const { body } = await jsonRpcRaw(d.url, 'object', 'execute_kw', [d.dbName, d.uid, d.apiKey, 'purchase.order', 'button_cancel', [[po]]], 42);
    expect(body).toEqual({ jsonrpc: '2.0', id: 42 });
    if (version === 19) {
      const res = await json2Raw(d.url, d.apiKey, 'purchase.order', 'button_cancel', { ids: [po] });
      expect([res.status, res.text]).toEqual([200, 'null']);
    }
    expect(d.db.records('purchase.order')[0]?.state).toBe('cancel');
  });

  it('create answers an int for a dict and a list for a list over JSON-RPC', async () => {
    const d = await start(version);
    const call = (args: unknown[]) => jsonRpcRaw(d.url, 'object', 'execute_kw', [d.dbName, d.uid, d.apiKey, 'res.partner', 'create', args]);
    const one = (await call([{ name: 'A' }])).body.result;
    const many = (await call([[{ name: 'B' }, { name: 'C' }]])).body.result;
    expect(typeof one).toBe('number');
    expect(many).toEqual([(one as number) + 1, (one as number) + 2]);
  });

  it('names fields by version and rejects the other version\'s name like Odoo', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    const [own, other] = version === 18 ? ['product_uom', 'product_uom_id'] : ['product_uom_id', 'product_uom'];
    const fields = (await orm('sale.order.line', 'fields_get', [], { attributes: ['type', 'relation'] })) as Record<string, { type: string; relation?: string }>;
    expect(fields[own]).toEqual({ type: 'many2one', relation: 'uom.uom' });
    expect(fields[other]).toBeUndefined();
    await expect(orm('sale.order.line', 'search_read', [[]], { fields: [other] })).rejects.toMatchObject({
      odooName: 'builtins.ValueError',
      message: `builtins.ValueError: Invalid field '${other}' on model 'sale.order.line'`,
    });
    const pkgModel = version === 18 ? 'stock.quant.package' : 'stock.package';
    expect(await orm(pkgModel, 'create', [{ name: '00000123450000000017' }])).toBe(1);
  });

  it('rolls back a call that fails halfway', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    const before = d.db.records('res.partner').length;
    // The second record lacks its name: the first must not stay either (one transaction per call).
    await expect(orm('res.partner', 'create', [[{ name: 'Kept?' }, { name: false }]])).rejects.toBeInstanceOf(WireError);
    expect(d.db.records('res.partner')).toHaveLength(before);
  });

  it('leaves carrier_tracking_ref out without stock_delivery', async () => {
    const d = await start(version, { modules: { stockDelivery: false } });
    const orm = ormClient(d);
    await expect(orm('stock.picking', 'search_read', [[]], { fields: ['carrier_tracking_ref'] })).rejects.toMatchObject({
      message: "builtins.ValueError: Invalid field 'carrier_tracking_ref' on model 'stock.picking'",
    });
  });

  it('records every ORM call with its API', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    await orm('res.partner', 'search', [[]]);
    await orm('res.users', 'context_get');
    expect(d.calls).toEqual([
      { model: 'res.partner', method: 'search', api: version === 18 ? 'jsonrpc' : 'json2' },
      { model: 'res.users', method: 'context_get', api: version === 18 ? 'jsonrpc' : 'json2' },
    ]);
  });
});

describe.each([18, 19] as const)('Odoo %i faults', (version) => {
  it('down refuses connections until it is up again, on the same URL', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    d.faults.down(true);
    const err = (await orm('res.partner', 'search', [[]]).catch((e: unknown) => e)) as Error & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause?.code).toBe('ECONNREFUSED');
    d.faults.down(false);
    expect(await orm('res.partner', 'search_count', [[]])).toBe(2);
  });

  it('slow lets a client timeout fire', async () => {
    const d = await start(version);
    d.faults.slow(500);
    const started = Date.now();
    const err = await fetch(`${d.url}/jsonrpc`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) }).catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('http5xx answers the next N requests with a proxy page, then recovers', async () => {
    const d = await start(version);
    d.faults.http5xx(2, 503);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${d.url}/jsonrpc`, { method: 'POST', body: JSON.stringify({ params: { service: 'common', method: 'version', args: [] } }) })).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('serializationFailure and lockError fail the next ORM calls without writing', async () => {
    const d = await start(version);
    const orm = ormClient(d);
    d.faults.serializationFailure(1);
    await expect(orm('res.partner', 'create', [{ name: 'X' }])).rejects.toMatchObject({
      odooName: 'psycopg2.errors.SerializationFailure',
      status: version === 18 ? 200 : 500,
    });
    d.faults.lockError(1);
    await expect(orm('res.partner', 'create', [{ name: 'X' }])).rejects.toMatchObject(
      version === 19 ? { odooName: 'odoo.exceptions.LockError', status: 409 } : { odooName: 'psycopg2.errors.LockNotAvailable' },
    );
    expect(d.db.records('res.partner').some((p) => p.name === 'X')).toBe(false);
    expect(await orm('res.partner', 'create', [{ name: 'X' }])).toBeTypeOf('number');
  });
});

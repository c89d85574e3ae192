// The client's pure pieces: how one call becomes execute_kw arguments or a JSON-2 body, how faults
// are sorted, how versions are read, and the environment configuration.
import { describe, expect, it } from 'vitest';
import { executeKwArguments, json2Body } from '../../src/odoo/client/call.js';
import { codeOfFault, codeOfStatus, faultError } from '../../src/odoo/client/errors.js';
import { policyOfCode } from '../../src/errors/failure.js';
import { majorVersionOf } from '../../src/odoo/client/client.js';
import { createLimiter } from '../../src/odoo/client/limiter.js';
import { odooOptionsFromEnv } from '../../src/odoo/config.js';
import { fieldNamesFor } from '../../src/odoo/field-names.js';

describe('executeKwArguments', () => {
  it('puts the domain positionally for search_read and the rest as keywords', () => {
    const { args, kwargs } = executeKwArguments({ model: 'res.partner', method: 'search_read', params: { domain: [['id', '=', 3]], fields: ['name'], limit: 2 }, context: { lang: 'en_US' } });
    expect(args).toEqual([[['id', '=', 3]]]);
    expect(kwargs).toEqual({ fields: ['name'], limit: 2, context: { lang: 'en_US' } });
  });
  it('passes ids first, then vals, for write (as the captured MissingError call)', () => {
    expect(executeKwArguments({ model: 'res.partner', method: 'write', ids: [999999], params: { vals: { name: 'x' } } })).toEqual({ args: [[999999], { name: 'x' }], kwargs: {} });
  });
  it('passes vals_list positionally for create (call_kw looks at args[0])', () => {
    expect(executeKwArguments({ model: 'sale.order', method: 'create', params: { vals_list: [{ partner_id: 8 }] } }).args).toEqual([[{ partner_id: 8 }]]);
  });
  it('keeps business-method parameters as keywords', () => {
    expect(executeKwArguments({ model: 'sale.order', method: 'message_post', ids: [4], params: { body: 'hi' } })).toEqual({ args: [[4]], kwargs: { body: 'hi' } });
  });
});

describe('json2Body', () => {
  it('names everything, ids and context included', () => {
    expect(json2Body({ model: 'stock.picking', method: 'button_validate', ids: [1], context: { skip_backorder: true } })).toEqual({ ids: [1], context: { skip_backorder: true } });
    expect(json2Body({ model: 'res.partner', method: 'create', params: { vals_list: [{ name: 'A' }] } })).toEqual({ vals_list: [{ name: 'A' }] });
  });
});

describe('codeOfFault', () => {
  it.each([
    ['odoo.exceptions.ValidationError', 'The operation cannot be completed: Contacts require a name', undefined, 'ODOO_REFUSED', 'business'],
    ['odoo.exceptions.UserError', 'There is no invoiceable line.', 422, 'ODOO_REFUSED', 'business'],
    ['odoo.exceptions.MissingError', 'Record does not exist or has been deleted.', 404, 'ODOO_REFUSED', 'business'],
    ['odoo.exceptions.AccessDenied', 'Access Denied', undefined, 'ODOO_ACCESS_DENIED', 'auth'],
    ['odoo.exceptions.AccessError', 'Private methods (such as _private) cannot be called remotely.', 403, 'ODOO_ACCESS_DENIED', 'auth'],
    ['werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401, 'ODOO_ACCESS_DENIED', 'auth'],
    ['odoo.exceptions.UserError', "Object no.such.model doesn't exist", undefined, 'ODOO_UNKNOWN_MODEL', 'protocol'],
    ['werkzeug.exceptions.NotFound', "the model 'no.such.model' does not exist", 404, 'ODOO_UNKNOWN_MODEL', 'protocol'],
    ['builtins.AttributeError', "The method 'no_such_method' does not exist on the model 'res.partner'", undefined, 'ODOO_UNKNOWN_MODEL', 'protocol'],
    ['builtins.TypeError', 'BaseModel._read_format() got an unexpected keyword argument', 500, 'ODOO_UNEXPECTED_ANSWER', 'protocol'],
    ['psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', undefined, 'ODOO_CONCURRENCY', 'transient'],
    ['odoo.exceptions.LockError', 'Cannot lock the record', 409, 'ODOO_CONCURRENCY', 'transient'],
    ['odoo.exceptions.ValidationError', 'could not serialize access due to concurrent update', 422, 'ODOO_CONCURRENCY', 'transient'],
    ['werkzeug.exceptions.InternalServerError', 'boom', 500, 'ODOO_SERVER_ERROR', 'transient'],
    ['werkzeug.exceptions.ServiceUnavailable', 'maintenance', 503, 'ODOO_SERVER_ERROR', 'transient'],
  ] as const)('%s (%s, %s) is %s (%s)', (name, message, status, code, policy) => {
    expect(codeOfFault(name, message, status)).toBe(code);
    expect(policyOfCode(codeOfFault(name, message, status))).toBe(policy);
  });

  it('sorts answers without a fault by their status: a proxy\'s 5xx or 429 is retried, a 404 is not Odoo as we know it', () => {
    expect([502, 500, 429, 404, 400].map(codeOfStatus)).toEqual(['ODOO_SERVER_ERROR', 'ODOO_SERVER_ERROR', 'ODOO_SERVER_ERROR', 'ODOO_UNEXPECTED_ANSWER', 'ODOO_UNEXPECTED_ANSWER']);
  });

  it('keeps Odoo\'s message and name, and the traceback only off the details (which go to the timeline)', () => {
    const e = faultError({ name: 'odoo.exceptions.ValidationError', message: 'Contacts require a name', arguments: ['Contacts require a name'], debug: 'Traceback ...\n  File "/opt/odoo18/odoo/models.py"' }, { model: 'res.partner', method: 'create' });
    expect(e.message).toBe('Odoo ValidationError (res.partner.create): Contacts require a name');
    expect(e.details).toEqual({ odooName: 'odoo.exceptions.ValidationError', odooMessage: 'Contacts require a name', model: 'res.partner', method: 'create' });
    expect(e.debug).toContain('Traceback');
    expect([e.code, e.policy, e.kind]).toEqual(['ODOO_REFUSED', 'business', 'business']);
  });
});

describe('majorVersionOf', () => {
  it('reads 18 from [18, 0, 0, "final", 0, ""], 17 from a saas version and nothing from garbage', () => {
    expect(majorVersionOf([18, 0, 0, 'final', 0, ''])).toBe(18);
    expect(majorVersionOf(['saas~17', 2, 0, 'final', 0, ''])).toBe(17);
    expect(majorVersionOf('18.0')).toBeUndefined();
    expect(majorVersionOf([])).toBeUndefined();
  });
});

describe('fieldNamesFor', () => {
  it('knows the 18 -> 19 renames', () => {
    const v18 = fieldNamesFor(18);
    const v19 = fieldNamesFor(19);
    expect([v18.saleLine.uom, v18.saleLine.taxes, v18.purchaseLine.taxes, v18.packageModel, v18.purchase.note]).toEqual(['product_uom', 'tax_id', 'taxes_id', 'stock.quant.package', 'notes']);
    expect([v19.saleLine.uom, v19.saleLine.taxes, v19.purchaseLine.taxes, v19.packageModel, v19.purchase.note]).toEqual(['product_uom_id', 'tax_ids', 'tax_ids', 'stock.package', 'note']);
    expect(fieldNamesFor(16).moveLineQuantity).toBe('qty_done');
    expect(v18.moveLineQuantity).toBe('quantity');
  });
});

describe('createLimiter', () => {
  it('never runs more than N tasks at once and runs them all', async () => {
    const limiter = createLimiter(2);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => limiter.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return i;
    })));
    expect(peak).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('odooOptionsFromEnv', () => {
  it('is undefined without ODOO_URL', () => {
    expect(odooOptionsFromEnv({})).toBeUndefined();
  });
  it('names every missing variable and never the key', () => {
    expect(() => odooOptionsFromEnv({ ODOO_URL: 'http://127.0.0.1:8069' })).toThrow(/ODOO_DB, ODOO_USERNAME, ODOO_API_KEY \(or ODOO_API_KEY_FILE\) are not/);
    expect(() => odooOptionsFromEnv({ ODOO_URL: 'http://127.0.0.1:8069' })).toThrow(expect.objectContaining({ name: 'OdooConfigError', code: 'ODOO_CONFIG_INVALID', policy: 'business' }));
    const secret = '0123456789abcdef0123456789abcdef01234567';
    expect(() => odooOptionsFromEnv({ ODOO_URL: 'http://u:p@127.0.0.1', ODOO_DB: 'd', ODOO_USERNAME: 'a', ODOO_API_KEY: secret })).toThrow(/must not carry credentials/);
    const o = odooOptionsFromEnv({ ODOO_URL: 'http://127.0.0.1:8069/', ODOO_DB: 'edi18', ODOO_USERNAME: 'admin', ODOO_API_KEY: secret, ODOO_VERSION: '18', ODOO_TIMEOUT_SECONDS: '5' })!;
    expect(o).toMatchObject({ url: 'http://127.0.0.1:8069', db: 'edi18', username: 'admin', version: 18, timeoutMs: 5000, api: 'auto' });
    expect(JSON.stringify(o)).not.toContain(secret);
    expect((o.apiKey as () => string)()).toBe(secret);
  });
  it('refuses a bad ODOO_API', () => {
    expect(() => odooOptionsFromEnv({ ODOO_URL: 'http://x', ODOO_DB: 'd', ODOO_USERNAME: 'a', ODOO_API_KEY: 'k', ODOO_API: 'xmlrpc' })).toThrow(/ODOO_API must be auto, jsonrpc or json2/);
  });
});

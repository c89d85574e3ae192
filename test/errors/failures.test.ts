// Operational failures carry a catalog code, and what is done about them is the code's retry policy:
// each converted error, made the way the gateway makes it, and the decisions that read the policy.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/errors/catalog.js';
import { codeField, GatewayError, isGatewayError, policyOfCode, retryPolicyOf } from '../../src/errors/failure.js';
import { TargetError } from '../../src/errors/target-error.js';
import { loadAndExamine, UnreadableFile } from '../../src/cli/load.js';
import { OdooError } from '../../src/odoo/client/errors.js';
import { MasterDataGap } from '../../src/odoo/postings/gap.js';
import { makeSecret, SecretError } from '../../src/partners/secrets.js';
import { openDatabase } from '../../src/store/database.js';
import { EmbeddedStartError } from '../../src/store/embedded.js';
import { archiveLocalFile } from '../../src/transports/folder/archive.js';
import { archiveName } from '../../src/transports/common/names.js';
import { serializeSegment, X12WriteError } from '../../src/x12/writer.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

/** What a log line or a timeline shows of a failure, and what is done about it. */
const coded = (e: unknown) => ({ gateway: isGatewayError(e), code: (e as GatewayError).code, policy: retryPolicyOf(e) });

describe('converted errors carry their catalog code', () => {
  it('a file the command line cannot read: CLI_FILE_UNREADABLE, naming the path', async () => {
    const error = await loadAndExamine('/no/such/dir/po.edi', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFile);
    expect(coded(error)).toEqual({ gateway: true, code: 'CLI_FILE_UNREADABLE', policy: 'business' });
    expect((error as Error).message).toBe('/no/such/dir/po.edi: no such file');
  });

  it('a value holding a delimiter: X12_WRITE_DELIMITER_IN_DATA, naming segment and element', () => {
    let error: unknown;
    try {
      serializeSegment(['N1', 'ST', 'ACME*WEST'], { element: '*', component: '>', repetition: '^', segment: '~' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(X12WriteError);
    expect(coded(error)).toEqual({ gateway: true, code: 'X12_WRITE_DELIMITER_IN_DATA', policy: 'business' });
    expect((error as X12WriteError).details).toEqual({ segment: 'N1', element: 2 });
    expect((error as Error).message).toContain('N102 value "ACME*WEST" contains the delimiter "*"');
  });

  it('a secret that is not set: PARTNER_SECRET_UNREADABLE, naming the variable, never a value', () => {
    const secret = makeSecret({ env: 'ACME_SFTP_PASSWORD' }, { where: 'partners/acme.yaml: transport.password', env: {}, baseDir: '/' });
    let error: unknown;
    try {
      secret.reveal();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretError);
    expect(coded(error)).toEqual({ gateway: true, code: 'PARTNER_SECRET_UNREADABLE', policy: 'auth' });
    expect((error as Error).message).toContain('environment variable ACME_SFTP_PASSWORD is not set');
  });

  it('a database that refuses the connection: STORE_UNREACHABLE (transient), its URL without the password', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://edi:s3cret-pw@127.0.0.1:1/edi', maxConnections: 1 }).catch((e: unknown) => e);
    expect(coded(error)).toEqual({ gateway: true, code: 'STORE_UNREACHABLE', policy: 'transient' });
    expect((error as Error).message).toMatch(/^cannot use the database at postgres:\/\/edi:\*\*\*@127\.0\.0\.1:1\/edi: /);
    expect(JSON.stringify({ message: (error as Error).message, details: (error as GatewayError).details })).not.toContain('s3cret-pw');
  });

  it('an archive folder without a free name: TRANSPORT_NO_FREE_NAME, naming the folder; the file stays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edi-failures-'));
    folders.push(dir);
    const at = new Date('2026-11-01T12:00:00Z');
    const archive = join(dir, 'archive');
    await writeFile(join(dir, 'po.edi'), 'ISA');
    await mkdir(archive);
    for (let n = 0; n < 100; n++) await writeFile(join(archive, archiveName('po.edi', at, n)), 'taken');
    const error = await archiveLocalFile(join(dir, 'po.edi'), 'po.edi', { action: 'move', folder: archive }, at).catch((e: unknown) => e);
    expect(coded(error)).toEqual({ gateway: true, code: 'TRANSPORT_NO_FREE_NAME', policy: 'business' });
    expect((error as GatewayError).details).toEqual({ folder: archive });
    expect((error as Error).message).toBe(`no free archive name for po.edi in ${archive}`);
  });

  it('the embedded server that did not start: STORE_EMBEDDED_START_FAILED, with the tail of its log', () => {
    const error = new EmbeddedStartError('embedded PostgreSQL failed to start in data/postgres on port 5433: exited', 'FATAL:  lock file "postmaster.pid" already exists');
    expect(coded(error)).toEqual({ gateway: true, code: 'STORE_EMBEDDED_START_FAILED', policy: 'protocol' });
    expect(error.message).toContain('--- PostgreSQL log (tail) ---\nFATAL:  lock file');
  });

  it('a master-data gap is ODOO_MASTER_DATA_GAP; business refusals that are not gaps have codes of their own', () => {
    const gap = new MasterDataGap('product', 'line 1: unknown product: GTIN 00012345678905', { gtin: '00012345678905' });
    expect(coded(gap)).toEqual({ gateway: true, code: 'ODOO_MASTER_DATA_GAP', policy: 'business' });
    expect(gap.details).toEqual({ gap: 'product', lookedFor: { gtin: '00012345678905' } });
    for (const code of ['ODOO_ORDER_STATE', 'ODOO_PRICE_MISMATCH', 'ODOO_PURPOSE_NOT_AUTOMATED'] as const) expect(policyOfCode(code)).toBe('business');
  });
});

describe('retry decisions read the policy', () => {
  it('the post stage\'s kind follows the policy of the target\'s code, which stays in details.failure', () => {
    const cases = [
      [new OdooError('ODOO_REFUSED', 'Odoo ValidationError (res.partner.create): Contacts require a name', { odooMessage: 'Contacts require a name' }), 'business'],
      [new OdooError('ODOO_ACCESS_DENIED', 'Odoo refused the API key'), 'auth'],
      [new OdooError('ODOO_TIMEOUT', 'Odoo at http://odoo did not answer res.partner.search within 30000 ms'), 'transient'],
      // protocol (a missing module): retried like transient, so that installing it picks the document up
      [new OdooError('ODOO_UNKNOWN_MODEL', "Odoo UserError (sale.order.create): Object sale.order doesn't exist"), 'transient'],
      [new GatewayError('ODOO_PRICE_MISMATCH', 'price differs from Odoo beyond 5%', { mismatches: ['line 1'] }), 'business'],
    ] as const;
    for (const [failure, kind] of cases) {
      const error = TargetError.from(failure) as TargetError;
      expect(error).toBeInstanceOf(TargetError);
      expect([error.kind, error.message, error.cause]).toEqual([kind, failure.message, failure]);
      expect(error.details).toEqual({ failure: { code: failure.code, ...failure.details } });
    }
    expect((TargetError.from(cases[0][0]) as TargetError).details).toEqual({ failure: { code: 'ODOO_REFUSED', odooMessage: 'Contacts require a name' } });
  });

  it('leaves a TargetError and an uncoded error as they are; an uncoded error is retried', () => {
    const target = new TargetError('business', 'partner acme is not configured');
    const bug = new TypeError('x is undefined');
    expect(TargetError.from(target)).toBe(target);
    expect(TargetError.from(bug)).toBe(bug);
    expect(retryPolicyOf(bug)).toBe('transient');
  });

  it('every policy is the catalog entry\'s retry, data rather than code', () => {
    const operational = Object.entries(catalog).filter(([, e]) => 'retry' in e);
    expect(operational.length).toBeGreaterThan(30);
    for (const [code, e] of operational) expect(policyOfCode(code as keyof typeof catalog), code).toBe((e as { retry: string }).retry);
    // A finding has no retry: a person acts on it.
    expect(policyOfCode('X12_ELEMENT_TOO_LONG')).toBe('business');
  });
});

describe('codeField', () => {
  it('gives a failure\'s code for log lines, or that of the coded failure a control-flow signal wraps, or nothing', () => {
    const lost = new OdooError('ODOO_UNREACHABLE', 'cannot reach Odoo at http://odoo for res.partner.search: ECONNRESET');
    expect(codeField(lost)).toEqual({ code: 'ODOO_UNREACHABLE' });
    expect(codeField(new Error('download of po.edi failed', { cause: lost }))).toEqual({ code: 'ODOO_UNREACHABLE' });
    expect(codeField(TargetError.from(lost))).toEqual({ code: 'PIPELINE_TARGET_UNAVAILABLE' });
    expect(codeField(new Error('boom'))).toEqual({});
    expect(codeField('not an error')).toEqual({});
  });
});

// A database that goes away for a while: intake fails loudly (nothing stored, the transport keeps
// its file), the workers and the wake-up connection reconnect and carry on when it returns.
// The gateway reaches the database through a TCP proxy this test can cut and restore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeError, type Gateway } from '../../src/jobs/gateway.js';
import type { Database } from '../../src/store/database.js';
import { listFiles } from '../../src/store/files-repo.js';
import { useTestDatabase } from '../support/db.js';
import { throughProxy, type TcpProxy as Proxy } from '../support/tcp-proxy.js';
import { bytes, documentsOf, testGateway, x12 } from './support.js';

const db = useTestDatabase();

let proxy: Proxy;
let viaProxy: Database;
let gateway: Gateway;

beforeAll(async () => {
  ({ proxy, database: viaProxy } = await throughProxy(db));
  gateway = await testGateway(viaProxy, { pollIntervalMs: 60_000 });
});
afterAll(async () => {
  await gateway?.stop();
  await viaProxy?.close();
  await proxy?.down();
});

describe('database outage', () => {
  it('intake throws while the database is away; workers reconnect and process what was queued meanwhile', async () => {
    const input = (control: number) => ({ partner: 'acme', channel: 'test', sourceName: `o-${control}.edi`, bytes: bytes(x12({ control })) });
    const before = await gateway.intake(input(301));
    await gateway.idle(20_000);
    expect((await documentsOf(db, before.fileId)).map((d) => d.state)).toEqual(['posted']);

    await proxy.down();
    const error = await gateway.intake(input(302)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ code: 'PIPELINE_INTAKE_FAILED', policy: 'transient', details: { partner: 'acme', sourceName: 'o-302.edi' } });
    expect((error as Error).message).toMatch(/^intake of o-302\.edi from acme failed, nothing was stored: /);
    expect((await listFiles(db, { partner: 'acme' })).map((f) => f.sourceName)).not.toContain('o-302.edi');

    // Another process (direct connection) takes a file in while this gateway cannot reach the database.
    const meanwhile = await intakeDirect(input(303));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the loops fail a few fetches, back off

    await proxy.up();
    await gateway.idle(10_000);
    expect((await documentsOf(db, meanwhile)).map((d) => d.state)).toEqual(['posted']);
    // The wake-up connection is back: with a 60 s safety-net poll, only a NOTIFY can move this file along quickly.
    await expect.poll(listeners, { timeout: 10_000 }).toBe(1);
    const retried = await gateway.intake(input(302));
    await gateway.idle(5_000);
    expect((await documentsOf(db, retried.fileId)).map((d) => d.state)).toEqual(['posted']);
  });
});

/** Intake through a second, intake-only gateway on the direct connection. */
async function intakeDirect(input: Parameters<Gateway['intake']>[0]): Promise<number> {
  const direct = await testGateway(db, { workers: false });
  try {
    return (await direct.intake(input)).fileId;
  } finally {
    await direct.stop();
  }
}
/** Connections listening on this schema's wake-up channel. */
async function listeners(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'edi-gateway-listen' AND query = $1`,
    [`LISTEN "${db.schema}_jobs"`],
  );
  return rows[0]!.n;
}

// The database goes away between a posting's call and its record, in a process that lives on: the
// outcome it holds is recorded once the database is back, at once, not a lease (60 s) later by the
// sweep, and the target is called once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import type { PostingTarget } from '../../src/jobs/ports.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import type { Database } from '../../src/store/database.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { useTestDatabase } from '../support/db.js';
import { throughProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { bytes, documentsOf, testGateway, x12 } from './support.js';

const db = useTestDatabase();
let proxy: TcpProxy;
let viaProxy: Database;
let gateway: Gateway;
const calls: number[] = [];

/** Answers, but first cuts the database for 1.5 s: the post stage cannot record what it got. */
function cuttingTarget(database: Database): PostingTarget {
  const inner = recordingTarget(database);
  return {
    ...inner,
    async post(req) {
      calls.push(req.documentId);
      if (calls.length === 1) {
        await proxy.down();
        setTimeout(() => void proxy.up(), 1_500);
      }
      return inner.post(req);
    },
  };
}

beforeAll(async () => {
  ({ proxy, database: viaProxy } = await throughProxy(db));
  gateway = await testGateway(viaProxy, { target: cuttingTarget(viaProxy), posting: { leaseSeconds: 60 } });
});
afterAll(async () => {
  await gateway?.stop();
  await viaProxy?.close();
  await proxy?.down();
});

describe('an outcome the database could not take', () => {
  it('is recorded when the database is back, within seconds, and the target is not called again', async () => {
    const { fileId } = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: 'cut.edi', bytes: bytes(x12({ control: 901 })) });
    const started = Date.now();
    await expect.poll(async () => (await documentsOf(db, fileId)).map((d) => d.state), { timeout: 15_000, interval: 200 }).toEqual(['posted']);
    // Well inside the 60 s lease: nothing waited for the sweep.
    expect(Date.now() - started).toBeLessThan(15_000);
    const [doc] = await documentsOf(db, fileId);
    expect(calls).toEqual([doc!.id]);
    const timeline = (await documentTimeline(db, doc!.id)).filter((e) => e.stage === 'post');
    expect(timeline.map((e) => [e.fromState, e.toState])).toEqual([
      ['mapped', 'posting'],
      ['posting', 'posted'],
    ]);
  });
});

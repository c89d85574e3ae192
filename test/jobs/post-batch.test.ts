// One document's unexpected error (a bug in a target, not a coded failure) is that document's
// business: it is retried like a transient error, and the other documents of its batch are posted
// on their first and only call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, scriptedTarget, testGateway, x12 } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;
let target: ReturnType<typeof scriptedTarget>;

beforeAll(async () => {
  target = scriptedTarget(db, (req, attempt) => {
    if (req.naturalKey.endsWith('|0002') && attempt === 1) throw new TypeError("Cannot read properties of undefined (reading 'lines')");
  });
  gateway = await testGateway(db, { target });
});
afterAll(async () => {
  await gateway?.stop();
});

describe('post batch', () => {
  it('an unexpected error in one document leaves the others of its batch alone', async () => {
    const { fileId } = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: 'batch.edi', bytes: bytes(x12({ control: 1001, sets: 3 })) });
    await gateway.idle(20_000);
    const docs = await documentsOf(db, fileId);
    expect(docs.map((d) => d.state)).toEqual(['posted', 'posted', 'posted']);
    const calls = (id: number) => target.calls.filter((c) => c.documentId === id).length;
    expect(docs.map((d) => calls(d.id))).toEqual([1, 2, 1]);
    for (const d of docs) expect(await listPosted(db, { documentId: d.id })).toHaveLength(1);

    const failedTry = (await documentTimeline(db, docs[1]!.id)).find((e) => e.message.startsWith('post failed'))!;
    expect(failedTry).toMatchObject({ fromState: 'posting', toState: 'mapped', message: "post failed (try 1), will retry in 0 s: Cannot read properties of undefined (reading 'lines')" });
    expect(failedTry.details).toMatchObject({ policy: 'transient', try: 1, retryInSeconds: 0 });
    for (const d of [docs[0]!, docs[2]!]) {
      expect((await documentTimeline(db, d.id)).filter((e) => e.stage === 'post').map((e) => [e.fromState, e.toState])).toEqual([['mapped', 'posting'], ['posting', 'posted']]);
    }
  });
});

// Postings of one business key never run at once: not two documents of one batch, not two batches
// of one process (two post loops). The probe target keys by PO number and notes every call's start
// and end; documents of other keys still post side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import { useTestDatabase } from '../support/db.js';
import { createProbeTable, overlappingCalls, probeCalls, probeTarget } from '../support/probe-target.js';
import { bytes, documentsOf, replacePo, testGateway, x12 } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;

beforeAll(async () => {
  await createProbeTable(db);
  gateway = await testGateway(db, {
    target: probeTarget(recordingTarget(db), db, { ms: 150, process: 'one' }),
    concurrency: { post: 2 },
    posting: { keyWaitSeconds: 0.1, callsInFlight: 4 },
  });
});
afterAll(async () => {
  await gateway?.stop();
});

describe('business key', () => {
  it('two documents of one PO in one batch, or in two batches, are posted one after the other; other POs alongside', async () => {
    // Four sets of PO1001 in one file (one batch), two more in another file, and four sets of four other POs.
    // Replaces of one PO: each goes to the target (the same original again would end duplicate, unposted).
    const samePo = (n: number) => (_: number) => replacePo(n);
    const files = [
      x12({ control: 501, sets: 4, body: samePo(1) }),
      x12({ control: 502, sets: 2, body: samePo(1) }),
      x12({ control: 503, sets: 4 }),
    ];
    const ids = await Promise.all(files.map(async (text, i) => (await gateway.intake({ partner: 'acme', channel: 'test', sourceName: `k-${i}.edi`, bytes: bytes(text) })).fileId));
    await gateway.idle(30_000);

    const docs = (await Promise.all(ids.map((id) => documentsOf(db, id)))).flat();
    expect(docs.map((d) => d.state)).toEqual(Array(10).fill('posted'));
    expect(await overlappingCalls(db)).toEqual([]);
    // Not one at a time by accident: calls of different POs did run side by side.
    expect((await overlappingCalls(db, { anyKey: true })).length).toBeGreaterThan(0);
    const calls = await probeCalls(db);
    // Every document called the target exactly once: a wait for the key is not a failed try.
    expect(calls.map((c) => c.documentId).sort((a, b) => a - b)).toEqual(docs.map((d) => d.id).sort((a, b) => a - b));
    expect(calls.filter((c) => c.businessKey === 'acme:PO1001')).toHaveLength(6);
    for (const d of docs) expect(await listPosted(db, { documentId: d.id })).toHaveLength(1);
    // The claim is on the timeline with the business key.
    const claim = (await documentTimeline(db, docs[0]!.id)).find((e) => e.toState === 'posting')!;
    expect(claim.details).toMatchObject({ target: 'recording', businessKey: 'recording|acme:PO1001' });
  });
});

// Two gateway processes, many documents of one PO (one business key; replaces, so that each is posted
// rather than found a repeat) arriving at once in different interchanges: the database refuses the second claim of the key, so the two processes never call
// the target for it at the same time, while documents of other POs post alongside.
import { beforeAll, describe, expect, it } from 'vitest';
import { bytes, replacePo, x12 } from '../jobs/support.js';
import { useTestDatabase } from '../support/db.js';
import { expectEachPostedOnce, startChild, useChildGateways, waitForAllPosted } from '../support/gateway-children.js';
import { createProbeTable, overlappingCalls, probeCalls } from '../support/probe-target.js';

const db = useTestDatabase();
const SAME_PO = 8;
const OTHER_PO = 8;
const gateways = useChildGateways(db);
const { children } = gateways;

beforeAll(async () => {
  await createProbeTable(db);
});
describe('one business key across two processes', () => {
  it('is never posted by both at once', { timeout: 60_000 }, async () => {
    const extra = { PROBE_MS: '200' };
    children.push(...(await Promise.all(['gw-a', 'gw-b'].map((name) => startChild(name, { url: db.url, schema: db.schema, extra })))));
    const files = [
      ...Array.from({ length: SAME_PO }, (_, i) => x12({ control: 801 + i, body: () => replacePo(1) })),
      ...Array.from({ length: OTHER_PO }, (_, i) => x12({ control: 901 + i })),
    ];
    await Promise.all(files.map((text, i) => gateways.intake.intake({ partner: 'acme', channel: 'test', sourceName: `key-${i}.edi`, bytes: bytes(text) })));
    const counts = await waitForAllPosted(db, files.length, 45_000);
    expect(counts.byState, children.map((c) => c.stderr.join('')).join('')).toEqual({ posted: files.length });
    await gateways.intake.idle(20_000);
    await expectEachPostedOnce(db, files.length, files.length);

    expect(await overlappingCalls(db)).toEqual([]);
    expect((await overlappingCalls(db, { anyKey: true })).length).toBeGreaterThan(0);
    const calls = await probeCalls(db);
    expect(calls).toHaveLength(files.length);
    const shared = calls.filter((c) => c.businessKey === 'acme:PO1001');
    expect(shared).toHaveLength(SAME_PO);
    // Both processes were posting all along (which of them got the shared key's turns varies).
    expect(new Set(calls.map((c) => c.process)), JSON.stringify(shared)).toEqual(new Set(['gw-a', 'gw-b']));
    // The shared key's documents waited for their turns: more post jobs than documents.
    const jobs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}_boss".job WHERE name = 'edi-post'`);
    expect(jobs.rows[0]!.n).toBeGreaterThan(files.length);
  });
});

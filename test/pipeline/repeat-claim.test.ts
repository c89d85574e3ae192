// The claim's guards on the repeat key (migration 8), below the post stage: a document whose repeat
// key a posted document has is not claimed unless it amends; two documents of one repeat key are
// never in 'posting' together, even with different business keys (the Odoo 856 races on its POs)
// and even when two processes claim them at the same moment.
import { beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/conn.js';
import { tableIn } from '../../src/store/identifiers.js';
import { claimPostings, firstPostedOf } from '../../src/store/postings-repo.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, testGateway, x12 } from '../jobs/support.js';

const db = useTestDatabase();
let ids: number[] = [];

beforeAll(async () => {
  // Four documents through the real pipeline, then set back by hand: #0 posted under repeat key 'k', the others mapped.
  const gateway = await testGateway(db);
  const { fileId } = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: 'claim.edi', bytes: bytes(x12({ control: 601, sets: 4 })) });
  await gateway.idle(20_000);
  await gateway.stop();
  ids = (await documentsOf(db, fileId)).map((d) => d.id);
  const documents = tableIn(db.schema, 'documents');
  await db.query(`UPDATE ${documents} SET repeat_key = 'k', target_ref = 'ref-0' WHERE id = $1`, [ids[0]]);
  await db.query(`UPDATE ${documents} SET state = 'mapped', repeat_key = NULL, business_key = NULL WHERE id = ANY($1::bigint[])`, [ids.slice(1)]);
});

const claim = (id: number, businessKey: string, repeatKey: string, checkRepeat: boolean, on = db as { pool: typeof db.pool; schema: string }) =>
  withTransaction(on, (tx) => claimPostings(tx, { holder: `h-${id}`, leaseSeconds: 60, stage: 'post', actor: 'test', claims: [{ id, businessKey, repeatKey, checkRepeat, event: { message: 'posting' } }] }));

describe('claim and repeat key', () => {
  it('finds the first posted document of a repeat key', async () => {
    expect(await firstPostedOf(db, ['k', 'none'])).toEqual(new Map([['k', { id: ids[0], targetRef: 'ref-0' }]]));
  });

  it('refuses a repeat of a posted key; claims it when it amends; then no other document of the key while it posts', async () => {
    expect((await claim(ids[1]!, 'b1', 'k', true)).size).toBe(0);
    expect([...(await claim(ids[1]!, 'b1', 'k', false)).keys()]).toEqual([ids[1]]);
    // Another business key, the same repeat key: not while #1 is posting.
    expect((await claim(ids[2]!, 'b2', 'k', false)).size).toBe(0);
    const { rows } = await db.query<{ id: string; state: string; repeat_key: string }>(`SELECT id, state, repeat_key FROM ${tableIn(db.schema, 'documents')} WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids.slice(1, 3)]);
    expect(rows.map((r) => [Number(r.id), r.state, r.repeat_key])).toEqual([[ids[1], 'posting', 'k'], [ids[2], 'mapped', null]]);
  });

  it('two processes claiming one repeat key under different business keys at once: one gets it', async () => {
    const other = db.another(2);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The first claim stays uncommitted until the second one has been sent.
    const first = withTransaction(db, async (tx) => {
      const got = await claimPostings(tx, { holder: 'p1', leaseSeconds: 60, stage: 'post', actor: 'test', claims: [{ id: ids[2]!, businessKey: 'c2', repeatKey: 'race', checkRepeat: true, event: { message: 'posting' } }] });
      await held;
      return got;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = claim(ids[3]!, 'c3', 'race', true, other);
    await new Promise((r) => setTimeout(r, 200));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.size, b.size]).toEqual([1, 0]);
  });
});

// Issue 14, implementation guides through the pipeline with real PostgreSQL: a partner file naming
// the shipped example guide bigbox-850 (partners/guides/), loaded as `edi start` loads it; of two
// 850s in one group, the conforming one is posted and the one breaking a guide rule is rejected at
// validate with the rule named, and the 997 in the store carries its AK3/AK4 and a partial AK9.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import type { SegmentData } from '../../src/x12/writer.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, goodPo, testGateway, x12 } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edi-guided-'));
  mkdirSync(join(dir, 'partners', 'guides'), { recursive: true });
  copyFileSync(join(process.cwd(), 'partners', 'guides', 'bigbox-850.yaml'), join(dir, 'partners', 'guides', 'bigbox-850.yaml'));
  writeFileSync(join(dir, 'partners', 'bigbox.yaml'), [
    'mode: production',
    'identity: { isa: { qualifier: ZZ, id: ACMEBUYER }, gs: ACMEBUYER }',
    'us: { isa: { qualifier: ZZ, id: OURCOMPANY }, gs: OURCOMPANY }',
    "documents: { inbound: ['850'] }",
    'guide: bigbox-850',
    'transport: { type: folder, inbound: { folder: in } }',
    '',
  ].join('\n'));
  const loaded = await loadPartners(join(dir, 'partners'), {}, { dataDir: dir });
  expect(loaded.errors).toEqual([]);
  gateway = await testGateway(db, { partners: partnerDirectory(loaded) });
});
afterAll(async () => {
  await gateway?.stop();
});

/** goodPo with a GLN ship-to, as the guide wants; the second set of the group orders 'NE' (new order) instead of 'SA'. */
const guidedPo = (n: number): SegmentData[] => {
  const segs = goodPo(n).map((s): SegmentData => (s[0] === 'BEG' && n % 100 === 1 ? ['BEG', '00', 'NE', ...s.slice(3)] : s));
  return [...segs.slice(0, 3), ['N1', 'ST', 'BIGBOX DC 7', 'UL', '0614141000074'], ...segs.slice(3)];
};

describe('a partner with an implementation guide, through the pipeline', () => {
  it('posts the conforming 850, rejects the other with the guide rule, and the 997 says so', async () => {
    const r = await gateway.intake({ partner: 'bigbox', channel: 'test', sourceName: 'guided.edi', bytes: bytes(x12({ control: 301, sets: 2, body: guidedPo })) });
    await gateway.idle(20_000);
    const docs = await documentsOf(db, r.fileId);
    expect(docs.map((d) => [d.controlNumber, d.state])).toEqual([['0001', 'posted'], ['0002', 'rejected']]);
    expect(docs[1]!.findings).toEqual([expect.objectContaining({ code: 'X12_GUIDE_CODE_NOT_ALLOWED', message: expect.stringContaining('guide bigbox-850, rule BEG02-stand-alone: ') })]);
    const [ack] = await listOutbound(db, { fileId: r.fileId });
    expect(ack).toMatchObject({ kind: '997' });
    const segs = ack!.payload.split('~').map((s) => s.trim());
    expect(segs).toEqual(expect.arrayContaining(['AK2*850*0002', 'AK3*BEG*2**8', 'AK4*2*92*7*NE', 'AK5*R*5', 'AK9*P*2*2*1']));
  });
});

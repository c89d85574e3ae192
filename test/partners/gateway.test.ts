// The pipeline with partner files (startGateway({ partners })), against the real database: the
// partner's acknowledgment policy and our ids from its file, the sets it may send, its ISA
// tolerance and size limit, its ids checked, test data kept from posting in production mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import { getFile } from '../../src/store/files-repo.js';
import { listInterchanges } from '../../src/store/interchanges-repo.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import { readX12 } from '../../src/x12/reader.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';
import { bytes, documentsOf, goodPo, testGateway, x12 } from '../jobs/support.js';
import { useTestDatabase } from '../support/db.js';
import { partnersFolder } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;
let removeFolder: () => Promise<void>;

// acme: 999, no TA1, our GS id OURGS (what ACME addressed is OURCOMPANY), 850 only, strict ISA.
// loose: the same sender tolerated with an unpadded ISA. small: 300 bytes at most. prod: production.
const partnerFile = (id: string, extra: string, acks = "{ kind: '999', ta1: never }") => `
mode: test
identity: { isa: { qualifier: ZZ, id: ${id} }, gs: ${id} }
us: { isa: { qualifier: ZZ, id: OURCOMPANY }, gs: OURGS }
documents: { inbound: ['850'] }
acknowledgments: ${acks}
${extra}
transport: { type: folder, inbound: { folder: in-${id} } }
`;

beforeAll(async () => {
  const f = await partnersFolder({
    'acme.yaml': partnerFile('ACMEBUYER', ''),
    'loose.yaml': partnerFile('LOOSEBUYER', '', "{ kind: '997', allowVariableIsa: true }"),
    'small.yaml': partnerFile('SMALLBUYER', 'maxFileBytes: 300'),
    'prod.yaml': partnerFile('PRODBUYER', 'mode: production').replace('mode: test\n', ''),
  });
  removeFolder = f.remove;
  const loaded = await loadPartners(f.dir, {}, { dataDir: f.root });
  expect(loaded.errors).toEqual([]);
  gateway = await testGateway(db, { partners: partnerDirectory(loaded) });
});
afterAll(async () => {
  await gateway?.stop();
  await removeFolder?.();
});

let serial = 0;
const intake = (text: string, partner: string) =>
  gateway.intake({ partner, channel: 'test', sourceName: `p-${++serial}.edi`, bytes: bytes(text) });

/** An interchange of one group holding one set of `setId` (the body need not fit the set: it is refused first). */
function oneSet(control: number, sender: string, setId: string, functionalId: string, usage: 'P' | 'T' = 'P'): string {
  const body: SegmentData[] = goodPo(control);
  return serializeInterchange(
    {
      header: {
        senderQualifier: 'ZZ', senderId: sender, receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY',
        date: '261101', time: '1230', version: '00401', controlNumber: control, usage, ackRequested: '0',
      },
      groups: [{
        functionalId, senderId: sender, receiverId: 'OURCOMPANY', date: '20261101', time: '1230', controlNumber: String(control), version: '004010',
        transactions: [{ id: setId, controlNumber: '0001', body }],
      }],
    },
    { delimiters: defaultDelimiters('00401'), lineBreak: '\n' },
  );
}

function ackSegments(payload: string): string[][] {
  const read = readX12(payload);
  const out: string[][] = [];
  for (const ic of read.interchanges) {
    out.push([...ic.segment.elements]);
    for (const t of ic.ta1) out.push([...t.elements]);
    for (const g of ic.groups) {
      out.push([...g.segment.elements]);
      for (const t of g.transactions) for (const s of t.segments) out.push([...s.elements]);
    }
  }
  return out;
}

describe('gateway with partner files', () => {
  it("answers with the partner's 999 and our ids from its file", async () => {
    const r = await intake(x12({ control: 501 }), 'acme');
    await gateway.idle(20_000);
    // acme is in test mode: processed to the end, never posted (src/jobs/test-partner.ts).
    expect((await documentsOf(db, r.fileId)).map((d) => d.state)).toEqual(['cancelled']);
    const acks = await listOutbound(db, { fileId: r.fileId });
    expect(acks.map((a) => a.kind)).toEqual(['999']);
    const segs = ackSegments(acks[0]!.payload);
    const isa = segs.find((s) => s[0] === 'ISA')!;
    expect([isa[5], isa[6]!.trim(), isa[7], isa[8]!.trim()]).toEqual(['ZZ', 'OURCOMPANY', 'ZZ', 'ACMEBUYER']);
    const gs = segs.find((s) => s[0] === 'GS')!;
    expect([gs[1], gs[2], gs[3]]).toEqual(['FA', 'OURGS', 'ACMEBUYER']);
    expect(segs.find((s) => s[0] === 'ST')![1]).toBe('999');
    expect(segs.some((s) => s[0] === 'TA1')).toBe(false);
  });

  it('rejects a set the partner may not send, with a clear reason, and says so in the 999 (IK5 R 1)', async () => {
    const r = await intake(oneSet(502, 'ACMEBUYER', '810', 'IN'), 'acme');
    await gateway.idle(20_000);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ setId: '810', state: 'rejected', failedStage: 'validate' });
    expect(doc!.reason).toContain('partner acme may not send transaction set 810 (documents.inbound in acme.yaml lists 850)');
    expect(doc!.reason).toContain('[PARTNER_SET_NOT_ACCEPTED]');
    const segs = ackSegments((await listOutbound(db, { fileId: r.fileId }))[0]!.payload);
    expect(segs.find((s) => s[0] === 'IK5')!.slice(1, 3)).toEqual(['R', '1']);
    expect(segs.find((s) => s[0] === 'AK9')![1]).toBe('R');
  });

  it('tolerates a variable-width ISA where the partner file allows it, and only there', async () => {
    const unpadded = (sender: string, control: number) => x12({ control, sender }).replace(`${sender.padEnd(15)}*`, `${sender}*`);
    const loose = await intake(unpadded('LOOSEBUYER', 503), 'loose');
    const strict = await intake(unpadded('ACMEBUYER', 504), 'acme');
    await gateway.idle(20_000);

    expect((await documentsOf(db, loose.fileId)).map((d) => d.state)).toEqual(['cancelled']);
    const [looseIc] = await listInterchanges(db, loose.fileId);
    expect(looseIc).toMatchObject({ state: 'accepted' });
    expect(looseIc!.findings).toEqual([expect.objectContaining({ code: 'X12_ISA_WIDTH', severity: 'warning' })]);
    expect((await listOutbound(db, { fileId: loose.fileId })).map((a) => a.kind)).toEqual(['997']);

    const [strictIc] = await listInterchanges(db, strict.fileId);
    expect(strictIc).toMatchObject({ state: 'rejected' });
    expect(strictIc!.findings).toEqual([expect.objectContaining({ code: 'X12_ISA_WIDTH', severity: 'error' })]);
    expect((await documentsOf(db, strict.fileId)).map((d) => d.state)).toEqual(['rejected']);
  });

  it("rejects an interchange whose sender is not the partner's id (TA1 006), or that is not addressed to us", async () => {
    const r = await intake(x12({ control: 505, sender: 'SOMEONEELSE' }), 'acme');
    const wrongReceiver = await intake(x12({ control: 506 }).replace('ZZ*OURCOMPANY     *', 'ZZ*NOTUS          *'), 'acme');
    await gateway.idle(20_000);
    const [ic] = await listInterchanges(db, r.fileId);
    expect(ic).toMatchObject({ state: 'rejected' });
    expect(ic!.findings).toEqual([
      expect.objectContaining({ code: 'PARTNER_SENDER_MISMATCH', ack: { ta1: '006' }, message: expect.stringContaining('must come from ZZ/ACMEBUYER') }),
    ]);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ state: 'rejected', failedStage: 'split' });
    // ta1: never in acme.yaml: no acknowledgment at all for a rejected interchange.
    expect(await listOutbound(db, { fileId: r.fileId })).toEqual([]);
    const [other] = await listInterchanges(db, wrongReceiver.fileId);
    expect(other!.findings.map((f) => (f as { code: string }).code)).toEqual(['PARTNER_RECEIVER_MISMATCH']);
  });

  it("applies the partner's maxFileBytes at intake", async () => {
    const r = await intake(x12({ control: 507, sender: 'SMALLBUYER' }), 'small');
    expect(r.state).toBe('rejected');
    expect(r.reason).toContain('PIPELINE_FILE_TOO_LARGE');
    expect((await getFile(db, r.fileId))?.size).toBeGreaterThan(300);
  });

  it('acknowledges test data from a partner in production mode but never posts it', async () => {
    const r = await intake(oneSet(508, 'PRODBUYER', '850', 'PO', 'T'), 'prod');
    await gateway.idle(20_000);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ state: 'cancelled' });
    expect(doc!.reason).toContain('test data (ISA15 = T)');
    const segs = ackSegments((await listOutbound(db, { fileId: r.fileId }))[0]!.payload);
    expect(segs.find((s) => s[0] === 'IK5')![1]).toBe('A');
  });

  it('a partner without a file keeps the gateway-wide defaults (997, whom the file addressed)', async () => {
    const r = await intake(x12({ control: 509 }), 'sample');
    await gateway.idle(20_000);
    expect((await documentsOf(db, r.fileId)).map((d) => d.state)).toEqual(['posted']);
    const acks = await listOutbound(db, { fileId: r.fileId });
    expect(acks.map((a) => a.kind)).toEqual(['997']);
    expect(ackSegments(acks[0]!.payload).find((s) => s[0] === 'GS')![2]).toBe('OURCOMPANY');
  });
});

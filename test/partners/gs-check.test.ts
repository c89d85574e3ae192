// acknowledgments.checkGroupIds: GS02/GS03 checked against identity.gs / us.gs only when a partner
// file asks for it; a mismatch rejects the group (AK9 R, AK905 1) with a message naming the ids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import type { Partner } from '../../src/partners/types.js';
import { listDocumentsOf, listOutbound } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { folderPartner, folders } from '../transports/folder/support.js';

const db = useTestDatabase();
let gateway: Gateway;
// The sample is from FRESHMART (GS02 FRESHMART) to ACMEDIST (GS03 ACMEDIST).
const sample = readFileSync(join(import.meta.dirname, '..', '..', 'samples', '004010', '850', '850-cancellation.edi'));

function partner(code: string, usGs: string, check: boolean | undefined): Partner {
  const base = folderPartner(folders('gs-check-'), { code });
  return {
    ...base,
    identity: { isa: { qualifier: 'ZZ', id: 'FRESHMART' }, gs: 'FRESHMART' },
    us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: usGs },
    acknowledgments: { ...base.acknowledgments, ...(check === undefined ? {} : { checkGroupIds: check }) },
  };
}

beforeAll(async () => {
  const partners = [partner('strict', 'OTHERAPP', true), partner('lenient', 'OTHERAPP', false), partner('fine', 'ACMEDIST', true)];
  gateway = await startGateway({ db, partners: partnerDirectory({ partners: new Map(partners.map((p) => [p.code, p])) }), retry: { limit: 0, delaySeconds: 0, backoff: false } });
});
afterAll(async () => {
  await gateway?.stop();
});

let isa13 = 7000;
async function run(code: string) {
  // A fresh ISA13 each time: sender + ISA13 identify an interchange (a repeat is a duplicate).
  const bytes = Buffer.from(sample.toString('latin1').replaceAll('000004498', String(++isa13).padStart(9, '0')), 'latin1');
  const { fileId } = await gateway.intake({ partner: code, channel: 'test', sourceName: `${code}.edi`, bytes });
  await gateway.idle(20_000);
  return { docs: await listDocumentsOf(db, { fileId }), acks: await listOutbound(db, { fileId }) };
}

describe('acknowledgments.checkGroupIds', () => {
  it('rejects a group addressed to another GS03 when the partner asks for the check, with AK9 R and code 1', async () => {
    const { docs, acks } = await run('strict');
    expect(docs.map((d) => d.state)).toEqual(['rejected']);
    expect(docs[0]!.reason).toContain('functional group 4498 is addressed to application receiver (GS03) ACMEDIST, but partner strict knows us as OTHERAPP (us.gs)');
    expect((docs[0]!.findings as Array<{ code: string }>).map((f) => f.code)).toContain('PARTNER_GS_RECEIVER_MISMATCH');
    expect(acks).toHaveLength(1);
    // AK904 counts the sets whose own AK5 says accepted (src/acks: the ack stays consistent with itself); AK905 1.
    expect(acks[0]!.payload).toMatch(/AK5\*A~\nAK9\*R\*1\*1\*1\*1~/);
  });

  it('does not check GS ids when the partner file does not ask (many partners send odd ones)', async () => {
    const { docs, acks } = await run('lenient');
    expect(docs.map((d) => d.state)).toEqual(['posted']);
    expect(acks[0]!.payload).toMatch(/AK9\*A\*1\*1\*1~/);
  });

  it('accepts matching GS02/GS03 with the check on', async () => {
    const { docs } = await run('fine');
    expect(docs.map((d) => d.state)).toEqual(['posted']);
  });
});

// The Odoo suites' wait for the gateway (support/gateway-wait.ts): a stall fails before the test's
// timeout with the files, documents, states and timelines, not with a bare "test timed out".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { partnerDirectory } from '../../src/partners/directory.js';
import type { Partner } from '../../src/partners/types.js';
import { getDocument, listDocuments } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { folderPartner, folders } from '../transports/folder/support.js';
import { doubleOdoo, startOdooFolderGateway } from './support/end-to-end.js';
import { dropWithCodes, runCodes, SETTLE_MS, waitForGateway } from './support/gateway-wait.js';

const db = useTestDatabase();
let close: (() => Promise<void>) | undefined;
let running: { stop(): Promise<void> } | undefined;
let inbox: string;

beforeAll(async () => {
  const connection = await doubleOdoo(19).connect();
  close = connection.close;
  await connection.client.create('res.partner', { name: 'Packrite Janitorial Supply', ref: 'PACKRITE', is_company: true });
  const where = folders('gateway-wait-');
  mkdirSync(where.inbox, { recursive: true });
  inbox = where.inbox;
  // CA maps to a unit this Odoo does not have: the order is rejected, so it never gets posted.
  const partner: Partner = { ...folderPartner(where, { code: 'packrite', outbound: null }), name: 'packrite', identity: { isa: { qualifier: 'ZZ', id: 'PACKRITE' }, gs: 'PACKRITE' }, us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' }, documents: { inbound: ['850'], outbound: [] }, odoo: { partner: { ref: 'PACKRITE' }, units: { CA: 'Crate of 12' } } };
  running = await startOdooFolderGateway(db, partnerDirectory({ partners: new Map([['packrite', partner]]) }), connection.client);
});

afterAll(async () => {
  await running?.stop();
  await close?.();
});

it('waits less than the test timeout, and a stall says what each document went through', async () => {
  expect(SETTLE_MS).toBeLessThan(30_000);
  const file = dropWithCodes(join(import.meta.dirname, 'files/850-packs-case-of-24-missing.edi'), inbox, runCodes('R1', ['PR-8102']));
  expect(file.endsWith('850-packs-case-of-24-missing.edi')).toBe(true);
  const posted = async () => (await listDocuments(db, { partner: 'packrite' })).items.some((d) => d.state === 'posted');
  const stall = await waitForGateway(db, 'the 850 posted', posted, ['packrite'], 3_000).then(() => undefined, (e: Error) => e.message);
  const [doc] = (await listDocuments(db, { partner: 'packrite' })).items;
  expect((await getDocument(db, doc!.id))!.state).toBe('rejected');
  expect(stall).toContain('timed out waiting for the 850 posted after 3 s');
  expect(stall).toContain('file #');
  expect(stall).toContain(`document #${doc!.id} 850 0001: rejected`);
  expect(stall).toContain("X12 unit 'CA' means Odoo unit 'Crate of 12'");
  // The timeline, event by event, up to the rejection.
  expect(stall).toMatch(/ post \S+ -> rejected: /);
});

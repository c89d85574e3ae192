// The as2-mdn alert rule against a real store: messages we sent that are mdn-overdue or refused
// (mdn-error) and asynchronous MDNs we owe that failed for good, each with its console page; a
// partner's threshold; resolved by a later message of the same delivery (a retry of the entry or an
// edi resend of it) or the MDN queued again; and the digest as it would be sent.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertSettings, evaluateAlerts, type AlertSettings, type Message, type RuleOutcome } from '../../src/alerts/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { ALERT_RULE_IDS } from '../../src/partners/alerts-schema.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import type { PartnerDirectory } from '../../src/partners/types.js';
import { insertOutboundAs2Message, requeueAsyncMdn } from '../../src/store/as2-repo.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import { seedAs2, type SeededAs2 } from '../support/as2-messages.js';
import { useTestDatabase } from '../support/db.js';
import { as2Yaml, gatewayAs2Yaml, makeCert } from '../partners/as2-support.js';
import { GATEWAY_YAML, partnersFolder } from '../partners/support.js';

const db = useTestDatabase();
const HOUR = 3_600_000;
let keys = '';
let remove: () => Promise<void> = async () => {};
let directory: PartnerDirectory;
let settings: AlertSettings;
let s: SeededAs2;
const t = (name: string) => `${quoteIdent(db.schema)}.${name}`;

beforeAll(async () => {
  keys = mkdtempSync(join(tmpdir(), 'edi-as2-alerts-'));
  makeCert(keys, 'ours', { cn: 'OURCO' });
  makeCert(keys, 'theirs', { cn: 'BIGBOX' });
  const f = await partnersFolder({
    '_gateway.yaml': gatewayAs2Yaml(`${GATEWAY_YAML}alerts:\n  webhook: { url: { env: TEST_HOOK_URL } }\n  consoleUrl: https://edi.example.com\n`,
      'id: OURCO\nurl: https://edi.example.com/as2/OURCO\ncertificate: { file: certs/ours.pem }\nprivateKey: { file: certs/ours.key }'),
    // bigbox: its refusals and overdue MDNs only after 2 hours.
    'bigbox.yaml': as2Yaml('BIGBOX', 'BIGBOX', 'url: https://as2.bigbox.example/as2\ncertificate: { file: certs/theirs.pem }', 'alerts: { rules: { as2-mdn: { threshold: 2 } } }'),
  });
  remove = f.remove;
  mkdirSync(join(f.dir, 'certs'));
  for (const name of ['ours.pem', 'ours.key', 'theirs.pem']) copyFileSync(join(keys, name), join(f.dir, 'certs', name));
  const env = { TEST_HOOK_URL: 'http://127.0.0.1:9/hook' };
  const loaded = await loadPartners(f.dir, env);
  expect(loaded.errors).toEqual([]);
  directory = partnerDirectory(loaded);
  const all = alertSettings(directory.gateway(), env);
  // Only this rule: the others have nothing to do with AS2.
  settings = { ...all, rules: Object.fromEntries(ALERT_RULE_IDS.map((r) => [r, { ...all.rules[r], enabled: r === 'as2-mdn' }])) as AlertSettings['rules'] };
}, 60_000);
afterAll(async () => {
  await remove();
  rmSync(keys, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.query(`TRUNCATE ${t('as2_messages')}, ${t('outbound_documents')}, ${t('outbound')}, ${t('files')}, ${t('alert_state')}, ${t('alert_log')} CASCADE`);
  s = await seedAs2(db);
});

const check = async (hoursFromNow: number): Promise<RuleOutcome | undefined> =>
  (await evaluateAlerts({ db, partners: directory, settings, log: silentLogger }, new Date(Date.now() + hoursFromNow * HOUR + 1000), { dryRun: true })).find((o) => o.rule === 'as2-mdn');
const keysOf = (o: RuleOutcome | undefined) => o?.digest?.items.map((i) => i.key) ?? [];

describe('the as2-mdn alert rule', () => {
  it('lists the MDN we owe that failed at once, and bigbox\'s overdue and refused messages after its 2 hours, each with its page', async () => {
    expect(keysOf(await check(0))).toEqual([`as2:${s.unknown.id}:mdn-failed`]);
    const later = (await check(3))!;
    expect(keysOf(later)).toEqual([`as2:${s.unknown.id}:mdn-failed`, `as2:${s.overdue.id}:mdn-overdue`, `as2:${s.refused.id}:mdn-error`]);
    expect(later.digest!.items.map((i) => [i.partner, i.path])).toEqual([[null, `/as2-messages/${s.unknown.id}`], ['bigbox', `/as2-messages/${s.overdue.id}`], ['bigbox', `/as2-messages/${s.refused.id}`]]);
    const [unknown, overdue, refused] = later.digest!.items.map((i) => i.summary);
    expect(unknown).toBe('AS2 id STRANGER: the asynchronous MDN we owe for Message-ID <in-2@stranger.example> could not be sent: asynchronous MDN try 5 of 5 to stranger.example failed: ECONNREFUSED');
    expect(overdue).toMatch(/^bigbox: no MDN for Message-ID <out-2@ourco\.example> since it was due \d{4}-\d\d-\d\d \d\d:\d\d UTC \(3 h( \d+ min)? ago\)$/);
    expect(refused).toBe('bigbox: refused Message-ID <out-3@ourco.example>: the partner refused the message: decryption-failed [AS2_MDN_NEGATIVE]');
  });

  it('forgets a refusal once the entry is tried again, an overdue MDN once the entry is resent, and a failed MDN once it is queued again', async () => {
    // A retry of the refused entry goes under a new Message-ID, for the same entry.
    await insertOutboundAs2Message(db, { partner: 'bigbox', from: 'OURCO', to: 'BIGBOX', messageId: '<out-3b@ourco.example>', outboundId: s.refusedEntry, headers: {}, body: Buffer.from('x'), mic: { value: 'x', algorithm: 'sha-256' }, mdnMode: 'sync' });
    // edi resend: a new entry whose source key names the original's.
    const resend = Number((await db.query(`INSERT INTO ${t('outbound')} (partner, kind, source_key, payload, state) VALUES ('bigbox', '856', 'shipment:2:856:resend:1', 'ISA*00~', 'sent') RETURNING id`)).rows[0]!.id);
    await insertOutboundAs2Message(db, { partner: 'bigbox', from: 'OURCO', to: 'BIGBOX', messageId: '<out-2b@ourco.example>', outboundId: resend, headers: {}, body: Buffer.from('x'), mic: { value: 'x', algorithm: 'sha-256' }, mdnMode: 'sync' });
    expect(keysOf(await check(3))).toEqual([`as2:${s.unknown.id}:mdn-failed`]);
    expect(await requeueAsyncMdn(db, s.unknown.id)).toBe(true);
    expect((await check(3))!.status).toBe('nothing');
  });

  it('a message of another delivery does not resolve one, and the digest links each message', async () => {
    const other = Number((await db.query(`INSERT INTO ${t('outbound')} (partner, kind, source_key, payload, state) VALUES ('bigbox', '856', 'shipment:9:856', 'ISA*00~', 'sent') RETURNING id`)).rows[0]!.id);
    await insertOutboundAs2Message(db, { partner: 'bigbox', from: 'OURCO', to: 'BIGBOX', messageId: '<out-9@ourco.example>', outboundId: other, headers: {}, body: Buffer.from('x'), mic: { value: 'x', algorithm: 'sha-256' }, mdnMode: 'sync' });
    const sent: Message[] = [];
    const outcomes = await evaluateAlerts({ db, partners: directory, settings, log: silentLogger, send: async (m) => { sent.push(m); return [{ channel: 'webhook', ok: true }]; } }, new Date(Date.now() + 3 * HOUR));
    expect(outcomes.find((o) => o.rule === 'as2-mdn')!.status).toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('[EDI] 3 new: AS2 messages without a good MDN');
    expect(sent[0]!.alerts.map((a) => a.link)).toEqual([s.unknown.id, s.overdue.id, s.refused.id].map((id) => `https://edi.example.com/as2-messages/${id}`));
  });
});

// Alerts end to end against the real database: every rule with seeded data, digests (two items in
// one message, none again within the period, listed again only after the repeat period), a
// partner's override, the webhook received by a local HTTP server and the e-mail by a local SMTP
// server, and no secret in any log line.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertSettings, evaluateAlerts, sendMail, type AlertSettings, type Message, type RuleOutcome } from '../../src/alerts/index.js';
import { ALERT_RULE_IDS, type AlertRuleId } from '../../src/partners/alerts-schema.js';
import { alertsCheckCommand, alertsTestCommand } from '../../src/cli/commands/alerts.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import { cliLogger } from '../../src/cli/log.js';
import { loadPartners } from '../../src/partners/load.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import type { PartnerDirectory } from '../../src/partners/types.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const T0 = new Date('2026-12-07T12:00:00Z');
const HOUR = 3_600_000;
const at = (hoursAfterT0: number) => new Date(T0.getTime() + hoursAfterT0 * HOUR);

// ---- partner files -------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'edi-alerts-'));
const partnerYaml = (name: string, extra: string) => `name: ${name}
identity: { isa: { qualifier: ZZ, id: ${name.toUpperCase()} }, gs: ${name.toUpperCase()} }
documents: { inbound: ['850', '810'], outbound: ['855', '856'] }
transport:
  type: sftp
  host: sftp.${name}.example
  username: us
  hostKey: 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc'
  privateKey: { file: /etc/edi/${name}_key, expires: 2026-12-20 }
  inbound: { folder: /out }
${extra}`;
writeFileSync(join(dir, '_gateway.yaml'), `us: { isa: { qualifier: ZZ, id: US }, gs: US }
defaults: { mode: production }
alerts:
  consoleUrl: https://edi.example.com
  webhook: { url: { env: TEST_HOOK_URL } }
  rules:
    waiting-for-person: { threshold: 30, periodMinutes: 60, repeatHours: 24 }
    expiring: { threshold: 5 }
`);
writeFileSync(join(dir, 'acme.yaml'), partnerYaml('acme', ''));
// globex: a shorter promise for its 855s, and longer waits for a person are fine.
writeFileSync(join(dir, 'globex.yaml'), partnerYaml('globex', `alerts:
  rules:
    order-without-855: { threshold: 2 }
    waiting-for-person: { enabled: false }
    expiring: { threshold: 60 }
  expiring:
    - { name: AS2 signing certificate, expires: 2027-01-31 }
`));

let directory: PartnerDirectory;
const env: Record<string, string> = {};

// ---- seeded data ---------------------------------------------------------------------------
let file = 0;
let offset = 0;
const t = (name: string) => `${quoteIdent(db.schema)}.${name}`;
async function received(partner: string, doc: { setId: string; state: string; number?: string; poNumber?: string; reason?: string; at: Date }): Promise<number> {
  const f = (await db.query(`INSERT INTO ${t('files')} (partner, channel, source_name, sha256, size, bytes, state) VALUES ($1, 'test', $2, $3, 0, '', 'split') RETURNING id`, [partner, `f${++file}.edi`, file.toString(16).padStart(64, '0')])).rows[0]!.id;
  const ic = (await db.query(`INSERT INTO ${t('interchanges')} (file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, usage, state)
    VALUES ($1, 0, 0, 'ZZ', $2, 'ZZ', 'US', $3, 'P', 'accepted') RETURNING id`, [f, partner.toUpperCase(), String(file)])).rows[0]!.id;
  return Number((await db.query(`INSERT INTO ${t('documents')} (file_id, interchange_id, group_control, version, set_id, control_number, byte_offset, byte_length, state, reason, number, po_number, created_at, updated_at)
    VALUES ($1, $2, '1', '004010', $3, '0001', $4, 0, $5, $6, $7, $8, $9, $9) RETURNING id`, [f, ic, doc.setId, ++offset, doc.state, doc.reason ?? null, doc.number ?? null, doc.poNumber ?? null, doc.at])).rows[0]!.id);
}
let source = 0;
async function sent(partner: string, doc: { setId: string; state: string; poNumber?: string; at: Date; sentAt?: Date; ackDueAt?: Date; reason?: string }): Promise<number> {
  return Number((await db.query(`INSERT INTO ${t('outbound_documents')} (partner, set_id, source_model, source_id, source_name, state, reason, document, created_at, sent_at, ack_due_at)
    VALUES ($1, $2, 'stock.picking', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
  [partner, doc.setId, ++source, `WH/OUT/${source}`, doc.state, doc.reason ?? null, JSON.stringify(doc.poNumber ? { poNumber: doc.poNumber } : {}), doc.at, doc.sentAt ?? null, doc.ackDueAt ?? null])).rows[0]!.id);
}

// ---- channels ------------------------------------------------------------------------------
const hooks: { text: string; alerts: { rule: string; link: string; partner: string }[] }[] = [];
let hookServer: Server;
let hookStatus = 200;
const mails: { from: string; to: string[]; data: string; auth?: string }[] = [];
let smtpServer: TcpServer;
let smtpPort = 0;

/** A few lines of SMTP: EHLO (AUTH offered, no STARTTLS), AUTH PLAIN, MAIL, RCPT, DATA, QUIT. */
function startSmtp(): Promise<void> {
  smtpServer = createTcpServer((socket) => {
    let mail: { from: string; to: string[]; data: string; auth?: string } = { from: '', to: [], data: '' };
    let inData = false;
    let buffer = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push(mail);
            mail = { from: '', to: [], data: '' };
            socket.write('250 queued\r\n');
          } else mail.data += `${line}\r\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') {
          mail.auth = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          socket.write('235 ok\r\n');
        } else if (verb === 'MAIL') {
          mail.from = /<(.*)>/.exec(line)![1]!;
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          mail.to.push(/<(.*)>/.exec(line)![1]!);
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 no\r\n');
      }
    });
  });
  return new Promise((resolve) => smtpServer.listen(0, '127.0.0.1', () => {
    smtpPort = (smtpServer.address() as { port: number }).port;
    resolve();
  }));
}

const logLines: string[] = [];
const log = cliLogger({ level: 'debug', format: 'json', write: (line: string) => void logLines.push(line) });

beforeAll(async () => {
  hookServer = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/hook/T0KEN-SECRET') hooks.push(JSON.parse(body));
      res.statusCode = req.url === '/hook/T0KEN-SECRET' ? hookStatus : 404;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', () => resolve()));
  await startSmtp();
  env['TEST_HOOK_URL'] = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hook/T0KEN-SECRET`;
  Object.assign(env, { SMTP_URL: `smtp://alerts:PA55-SECRET@127.0.0.1:${smtpPort}`, SMTP_SECURITY: 'none', ALERT_EMAIL_TO: 'ops@example.com,buyer@example.com', ALERT_EMAIL_FROM: 'edi@example.com' });
  const loaded = await loadPartners(dir, env, { dataDir: dir });
  expect(loaded.errors.map((e) => e.message)).toEqual([]);
  directory = partnerDirectory({ partners: loaded.partners, gateway: loaded.gateway, broken: loaded.broken });
});

afterAll(async () => {
  await new Promise((r) => hookServer.close(r));
  await new Promise((r) => smtpServer.close(r));
});

beforeEach(async () => {
  await db.query(`TRUNCATE ${t('alert_state')}, ${t('alert_log')}, ${t('events')}, ${t('outbound_documents')}, ${t('documents')}, ${t('interchanges')}, ${t('receipts')}, ${t('files')}, ${t('partner_health')} CASCADE`);
  hooks.length = 0;
  mails.length = 0;
  hookStatus = 200;
});

const settings = (): AlertSettings => alertSettings(directory.gateway(), env);
/** Digests of one rule only (the others off), so each test counts its own messages. */
const only = (rule: AlertRuleId): AlertSettings => {
  const s = settings();
  return { ...s, rules: Object.fromEntries(ALERT_RULE_IDS.map((r) => [r, { ...s.rules[r], enabled: r === rule }])) };
};
const evaluate = (now: Date, extra: { send?: (m: Message) => Promise<{ channel: 'webhook' | 'email'; ok: boolean }[]> } = {}) =>
  evaluateAlerts({ db, partners: directory, settings: only('waiting-for-person'), log, ...extra }, now);
const of = (outcomes: RuleOutcome[], rule: string) => outcomes.find((o) => o.rule === rule);

describe('alert digests', () => {
  it('send two waiting documents in one message through the webhook and e-mail, then nothing within the period', async () => {
    const a = await received('acme', { setId: '850', state: 'rejected', number: 'PO-1', reason: 'N1*ST has no GLN', at: at(-2) });
    const b = await received('acme', { setId: '810', state: 'failed', number: 'INV-9', reason: 'Odoo down', at: at(-1) });
    await received('acme', { setId: '850', state: 'rejected', number: 'PO-NEW', at: at(-0.1) }); // not 30 minutes yet
    const first = of(await evaluate(T0), 'waiting-for-person')!;
    expect(first.status).toBe('sent');
    expect(first.channels).toEqual([{ channel: 'webhook', ok: true }, { channel: 'email', ok: true }]);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.alerts.map((x) => x.link)).toEqual([`https://edi.example.com/documents/${a}`, `https://edi.example.com/documents/${b}`]);
    expect(hooks[0]!.text).toMatch(/^EDI gateway: 2 new documents waiting for a person/);
    expect(hooks[0]!.text).toContain('acme 850 PO-1 rejected for 2 h: N1*ST has no GLN');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ops@example.com', 'buyer@example.com']);
    expect(mails[0]!.auth).toBe('\u0000alerts\u0000PA55-SECRET');
    expect(mails[0]!.data).toMatch(/^Subject: \[EDI\] 2 new: documents waiting for a person\r$/m);
    const body = Buffer.from(mails[0]!.data.split('\r\n\r\n')[1]!.replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(body).toContain(`https://edi.example.com/documents/${b}`);

    // 40 minutes later the third is new, but the period (60 min) is not over: it waits.
    const later = of(await evaluate(at(40 / 60)), 'waiting-for-person')!;
    expect(later.status).toBe('waiting');
    expect(later.digest!.items.map((i) => i.summary)).toEqual([expect.stringContaining('PO-NEW')]);
    expect(hooks).toHaveLength(1);
    // After the period, only the new one goes: the two listed are not repeated.
    const next = of(await evaluate(at(1.1)), 'waiting-for-person')!;
    expect(next.status).toBe('sent');
    expect(hooks[1]!.alerts.map((x) => x.link)).toEqual([expect.stringMatching(/\/documents\/\d+$/)]);
    expect(hooks[1]!.text).toContain('PO-NEW');
    expect(hooks[1]!.text).toContain('(2 listed before are still open.)');
    // After the repeat period (24 h) the three still open are listed again, once.
    expect(of(await evaluate(at(26)), 'waiting-for-person')!.digest!.items).toHaveLength(3);
    expect(of(await evaluate(at(27.5)), 'waiting-for-person')!.status).toBe('nothing');
  });

  it('forget an item once it is no longer open, and alert again when it opens again', async () => {
    const a = await received('acme', { setId: '850', state: 'rejected', number: 'PO-2', at: at(-2) });
    expect(of(await evaluate(T0), 'waiting-for-person')!.status).toBe('sent');
    await db.query(`UPDATE ${t('documents')} SET state = 'posted' WHERE id = $1`, [a]);
    expect(of(await evaluate(at(2)), 'waiting-for-person')!.status).toBe('nothing');
    expect((await db.query(`SELECT count(*)::int AS n FROM ${t('alert_log')} WHERE rule = 'waiting-for-person'`)).rows[0]!.n).toBe(0);
    await db.query(`UPDATE ${t('documents')} SET state = 'failed', updated_at = $2 WHERE id = $1`, [a, at(2)]);
    expect(of(await evaluate(at(3)), 'waiting-for-person')!.status).toBe('sent');
  });

  it('try again at the next evaluation when no channel took the message, and one channel failing does not hold the other', async () => {
    await received('acme', { setId: '850', state: 'rejected', number: 'PO-3', at: at(-2) });
    const failed = of(await evaluate(T0, { send: async () => [{ channel: 'webhook', ok: false }] }), 'waiting-for-person')!;
    expect(failed.status).toBe('failed');
    expect((await db.query(`SELECT count(*)::int AS n FROM ${t('alert_state')}`)).rows[0]!.n).toBe(0);
    hookStatus = 500;
    const half = of(await evaluate(at(0.02)), 'waiting-for-person')!;
    expect(half.status).toBe('sent');
    expect(half.channels).toEqual([{ channel: 'webhook', ok: false, error: expect.stringContaining('answered 500') }, { channel: 'email', ok: true }]);
    expect(mails).toHaveLength(1);
  });

  it('never let two processes send the same digest', async () => {
    await received('acme', { setId: '850', state: 'rejected', number: 'PO-4', at: at(-2) });
    const [one, two] = await Promise.all([evaluate(T0), evaluate(T0)]);
    // The second finds the period taken: by the claim (claimed-elsewhere) or, read after it, by the digest time (waiting).
    expect([of(one!, 'waiting-for-person')!.status, of(two!, 'waiting-for-person')!.status].filter((s) => s === 'sent')).toHaveLength(1);
    expect(hooks).toHaveLength(1);
  });
});

describe('alert rules', () => {
  it('find each business promise broken, with a link to its console page', async () => {
    // 850 without 855: acme after 24 h (default), globex after 2 h (its override).
    const acmeOld = await received('acme', { setId: '850', state: 'posted', poNumber: 'PO-A1', at: at(-30) });
    await received('acme', { setId: '850', state: 'posted', poNumber: 'PO-A2', at: at(-5) });
    const acked = await received('acme', { setId: '850', state: 'posted', poNumber: 'PO-A3', at: at(-30) });
    await sent('acme', { setId: '855', state: 'sent', poNumber: 'PO-A3', at: at(-29), sentAt: at(-29) });
    const globex = await received('globex', { setId: '850', state: 'posted', poNumber: 'PO-G1', at: at(-5) });
    // Shipped without 856: held 6 h ago (open), built 1 h ago (not yet), a held one whose regeneration was sent.
    const held = await sent('acme', { setId: '856', state: 'held', reason: 'no SSCC for carton 2', poNumber: 'PO-A1', at: at(-6) });
    await sent('acme', { setId: '856', state: 'built', at: at(-1) });
    // Acknowledgment overdue.
    const overdue = await sent('globex', { setId: '856', state: 'ack-overdue', at: at(-50), sentAt: at(-49), ackDueAt: at(-25) });
    // An 810 whose three-way match failed, another that matched.
    const mismatch = await received('acme', { setId: '810', state: 'posted', number: 'INV-1', poNumber: 'PO-A1', at: at(-3) });
    const matched = await received('acme', { setId: '810', state: 'posted', number: 'INV-2', poNumber: 'PO-A1', at: at(-3) });
    for (const [id, mismatches] of [[mismatch, [{ line: 'line 1', what: 'price', invoiced: 10, expected: 9 }]], [matched, []]] as const) {
      await db.query(`INSERT INTO ${t('events')} (document_id, stage, actor, from_state, to_state, message, details) VALUES ($1, 'post', 'system', 'posting', 'posted', 'posted', $2)`, [id, JSON.stringify({ result: { mismatches } })]);
    }
    // A partner whose polls keep failing, one that failed once.
    await db.query(`INSERT INTO ${t('partner_health')} (partner, transport, consecutive_failures, last_error, last_error_at) VALUES ('acme', 'sftp-poll', 5, 'connect ECONNREFUSED', $1), ('globex', 'sftp-poll', 1, 'timeout', $1)`, [T0]);

    const outcomes = await evaluateAlerts({ db, partners: directory, settings: settings(), log }, T0, { dryRun: true });
    const keys = (rule: string) => of(outcomes, rule)?.digest?.items.map((i) => `${i.key} ${i.path}`);
    expect(keys('order-without-855')).toEqual([`document:${acmeOld} /documents/${acmeOld}`, `document:${globex} /documents/${globex}`]);
    expect(keys('order-without-855')).not.toContain(`document:${acked} /documents/${acked}`);
    expect(keys('shipped-without-856')).toEqual([`sent:${held} /sent/${held}`]);
    expect(of(outcomes, 'shipped-without-856')!.digest!.items[0]!.summary).toContain('856 held, not sent after 6 h: no SSCC for carton 2');
    expect(keys('ack-overdue')).toEqual([`sent:${overdue} /sent/${overdue}`]);
    expect(keys('invoice-mismatch')).toEqual([`document:${mismatch} /documents/${mismatch}`]);
    expect(keys('partner-failing')).toEqual(['health:acme:sftp-poll /partners']);
    // Expiring: within 5 days (the gateway's setting) none of acme's; within 60 (globex's own) its key and its AS2 certificate.
    expect(of(outcomes, 'expiring')!.digest!.items.map((i) => i.summary)).toEqual(['globex transport.privateKey expires on 2026-12-20 (in 13 days)', 'globex AS2 signing certificate expires on 2027-01-31 (in 55 days)']);
    expect(outcomes.every((o) => o.status !== 'sent')).toBe(true);
    expect(hooks).toHaveLength(0);
    // A later 810 for the same invoice that matched resolves it.
    const fixed = await received('acme', { setId: '810', state: 'posted', number: 'INV-1', poNumber: 'PO-A1', at: at(-1) });
    await db.query(`INSERT INTO ${t('events')} (document_id, stage, actor, from_state, to_state, message, details) VALUES ($1, 'post', 'system', 'posting', 'posted', 'posted', '{"result":{"mismatches":[]}}')`, [fixed]);
    expect(of(await evaluateAlerts({ db, partners: directory, settings: settings(), log }, T0, { dryRun: true }), 'invoice-mismatch')!.status).toBe('nothing');
  });

  it('apply a partner\'s override: globex turned waiting-for-person off', async () => {
    await received('globex', { setId: '850', state: 'rejected', number: 'PO-G2', at: at(-5) });
    const acme = await received('acme', { setId: '850', state: 'rejected', number: 'PO-A9', at: at(-5) });
    expect(of(await evaluate(T0), 'waiting-for-person')!.digest!.items.map((i) => i.key)).toEqual([`document:${acme}`]);
  });

  it('list a partner file out of service', async () => {
    const broken = partnerDirectory({ partners: new Map(), gateway: directory.gateway(), broken: [{ code: 'initech', file: '/x/initech.yaml', display: 'partners/initech.yaml', errors: [{ file: 'partners/initech.yaml', path: 'transport.host', message: 'partners/initech.yaml: transport.host: expected a host name' }] }] });
    const outcomes = await evaluateAlerts({ db, partners: broken, settings: settings(), log }, T0, { dryRun: true });
    expect(of(outcomes, 'partner-broken')!.digest!.items[0]!.summary).toBe('partners/initech.yaml: 1 problem(s), the partner is out of service: partners/initech.yaml: transport.host: expected a host name');
  });
});

describe('alert settings and commands', () => {
  it('refuse a literal webhook URL, an unknown rule and a bad date in the partner files, each with what is expected', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'edi-alerts-bad-'));
    writeFileSync(join(bad, '_gateway.yaml'), `us: { isa: { qualifier: ZZ, id: US }, gs: US }\ndefaults: { mode: production }\nalerts:\n  webhook: { url: https://hooks.example.com/T0KEN }\n  rules: { no-such-rule: { threshold: 1 } }\n`);
    writeFileSync(join(bad, 'acme.yaml'), partnerYaml('acme', '').replace('expires: 2026-12-20', 'expires: 2026-13-45'));
    const result = await loadPartners(bad, {}, { dataDir: bad });
    const text = result.errors.map((e) => e.message).join('\n');
    expect(text).toContain('alerts.webhook.url');
    expect(text).toContain('never the value itself');
    expect(text).not.toContain('T0KEN');
    expect(text).toMatch(/alerts\.rules: found {"no-such-rule".*expected a mapping of rules \(waiting-for-person, /);
    expect(text).toMatch(/transport\.privateKey\.expires.*a date such as 2027-01-31/);
  });

  it('edi alerts test sends to every channel; edi alerts check prints and sends nothing', async () => {
    const io: Output & { lines: string[] } = { lines: [], out(t) { this.lines.push(t); }, err(t) { this.lines.push(t); } };
    expect(await alertsTestCommand({ partners: dir, dataDir: dir }, io, env)).toBe(0);
    expect(hooks).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect(io.lines.join('\n')).toContain(`sent: e-mail through 127.0.0.1:${smtpPort} (none) to ops@example.com, buyer@example.com`);
    await received('acme', { setId: '850', state: 'rejected', number: 'PO-C', at: new Date(Date.now() - 2 * HOUR) });
    io.lines.length = 0;
    expect(await alertsCheckCommand(db, { partners: dir, dataDir: dir }, io, env)).toBe(0);
    const shown = io.lines.join('\n');
    expect(shown).toContain('waiting-for-person: would send now:');
    expect(shown).toContain('PO-C');
    expect(shown).toContain('webhook to 127.0.0.1:');
    expect(hooks).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${t('alert_state')}`)).rows[0]!.n).toBe(0);
  });

  it('a refused login or an unreachable server is ALERT_SEND_FAILED, without the password', async () => {
    const refuse = createTcpServer((s) => {
      s.write('220 hi\r\n');
      s.on('data', (c) => s.write(c.toString().startsWith('AUTH') ? '535 5.7.8 bad credentials PA55-SECRET\r\n' : '250 ok\r\n'));
    });
    await new Promise<void>((r) => refuse.listen(0, '127.0.0.1', () => r()));
    const port = (refuse.address() as { port: number }).port;
    const channel = { host: '127.0.0.1', port, security: 'none' as const, username: 'u', password: () => 'PA55-SECRET', from: 'a@example.com', to: ['b@example.com'] };
    const error = await sendMail(channel, { subject: 's', text: 't', alerts: [] }).catch((e: unknown) => e as Error & { code: string });
    expect(error).toMatchObject({ code: 'ALERT_SEND_FAILED' });
    expect(error!.message).toContain('AUTH PLAIN (login): the server answered 535');
    expect(error!.message).not.toContain('PA55');
    await new Promise((r) => refuse.close(r));
    // starttls (the default) with a password never sends it in clear to a server without STARTTLS.
    const clear = await sendMail({ ...channel, port: smtpPort, security: 'starttls' }, { subject: 's', text: 't', alerts: [] }).catch((e: unknown) => e as Error);
    expect(clear!.message).toContain('never sent in clear');
    expect(mails).toHaveLength(0);
  });

  it('logged no secret in any of these tests', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    expect(all).not.toContain('T0KEN-SECRET');
    expect(all).not.toContain('PA55-SECRET');
    expect(all).toContain('alert sent');
  });
});

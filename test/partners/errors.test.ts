// Every kind of configuration problem, worded as `file: key.path: found X, expected Y`, all of them
// at once, and never with a secret's value in it.
import { afterEach, describe, expect, it } from 'vitest';
import { loadPartners } from '../../src/partners/load.js';
import { folderYaml, GATEWAY_YAML, partnersFolder, sftpYaml } from './support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function messagesFor(files: Record<string, string>): Promise<string[]> {
  const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, ...files });
  cleanups.push(f.remove);
  const result = await loadPartners(f.dir, {}, { dataDir: '/srv/data' });
  return result.errors.map((e) => e.message);
}

describe('partner file errors', () => {
  it('missing key: names the key and what belongs there', async () => {
    const messages = await messagesFor({ 'acme.yaml': sftpYaml().replace(/  gs: ACMEBUYER\n/, '') });
    expect(messages).toEqual(['partners/acme.yaml: identity.gs: missing, expected a GS application id of 2 to 15 characters [line 4]']);
  });

  it('wrong type: quotes the value and its type, with a hint for digits YAML read as a number', async () => {
    const messages = await messagesFor({
      'acme.yaml': `${sftpYaml()}x12: { version: 004010, lineBreak: 'yes' }\nmaxFileBytes: lots\n`,
    });
    expect(messages).toEqual([
      "partners/acme.yaml: x12.version: found 4010 (a number), expected '004010' or '005010' [line 16]",
      'partners/acme.yaml: x12.lineBreak: found "yes", expected true or false [line 16]',
      'partners/acme.yaml: maxFileBytes: found "lots", expected a number of bytes from 1 to 2147483647 [line 17]',
    ]);
    const ids = await messagesFor({ 'b.yaml': folderYaml('BBB', 'b').replace("inbound: ['850', '856']", "inbound: [850]").replace('gs: BBB', 'gs: 12345') });
    expect(ids).toEqual([
      'partners/b.yaml: identity.gs: found 12345 (a number), expected a GS application id of 2 to 15 characters (put it in quotes: unquoted digits are read as a number, without leading zeros) [line 2]',
      "partners/b.yaml: documents.inbound.0: found 850 (a number), expected a transaction set id of three digits in quotes, such as '850' (put it in quotes: unquoted digits are read as a number, without leading zeros) [line 3]",
    ]);
  });

  it('unknown key: lists the allowed keys and suggests the near one', async () => {
    const messages = await messagesFor({ 'acme.yaml': sftpYaml().replace('  host: sftp.example', '  host: sftp.example\n  hots: typo') });
    expect(messages).toEqual([
      'partners/acme.yaml: transport.hots: found "typo", expected no key hots here: the keys allowed are type, host, port, username, hostKey, insecureAcceptAnyHostKey, password, privateKey, passphrase, connectTimeoutSeconds, timeoutSeconds, inbound, outbound (did you mean host?) [line 11]',
    ]);
  });

  it('odoo section: every problem named, with the fix', async () => {
    const messages = await messagesFor({
      'acme.yaml': `${sftpYaml()}odoo:\n  partner: {}\n  prices: { policy: cheap, tolerancePercent: 120 }\n  units: { ca: Units }\n  confirm: true\n`,
    });
    expect(messages.map((m) => m.replace(/ \[line \d+\]$/, ''))).toEqual([
      "partners/acme.yaml: odoo.partner: found {}, expected one of id, ref, name or vat: how to find the partner's contact in Odoo (e.g. partner: { ref: ACME })",
      'partners/acme.yaml: odoo.prices.policy: found "cheap", expected edi, odoo or reject',
      'partners/acme.yaml: odoo.prices.tolerancePercent: found 120 (a number), expected a percentage from 0 to 100',
      'partners/acme.yaml: odoo.units.ca: found "Units", expected X12 unit codes as keys (two capitals or digits, e.g. CA: Case of 12)',
      'partners/acme.yaml: odoo.confirm: found true (a boolean), expected the key confirmOrders instead (the gateway calls confirm confirmOrders)',
    ]);
  });

  it('renamed key: names the new key', async () => {
    const messages = await messagesFor({
      'acme.yaml': sftpYaml().replace('inbound: { folder: /acme/outbox }', 'inbound: { folder: /acme/outbox, pollInterval: 30 }') + 'ack: { kind: \'999\' }\n',
    });
    expect(messages).toEqual([
      'partners/acme.yaml: transport.inbound.pollInterval: found 30 (a number), expected the key pollSeconds instead (the gateway calls pollInterval pollSeconds) [line 14]',
      'partners/acme.yaml: ack: found {"kind":"999"}, expected the key acknowledgments instead (the gateway calls ack acknowledgments) [line 16]',
    ]);
  });

  it('bad fingerprint; no fingerprint without the explicit test-only opt-out', async () => {
    const bad = await messagesFor({ 'acme.yaml': sftpYaml().replace(/hostKey: '[^']*'/, "hostKey: 'abc'") });
    expect(bad).toEqual(['partners/acme.yaml: transport.hostKey: found "abc", expected a SHA256 fingerprint like SHA256:base64 (ssh-keygen -lf) [line 12]']);
    const none = await messagesFor({ 'acme.yaml': sftpYaml().replace(/  hostKey: '[^']*'\n/, '') });
    expect(none).toEqual([
      "partners/acme.yaml: transport.hostKey: missing, expected the SHA256 fingerprint of the server's host key, like SHA256:base64 (ssh-keyscan HOST | ssh-keygen -lf - prints it; insecureAcceptAnyHostKey: true exists for tests only) [line 9]",
    ]);
    const optOut = await messagesFor({ 'acme.yaml': sftpYaml().replace(/hostKey: '[^']*'/, 'insecureAcceptAnyHostKey: true') });
    expect(optOut).toEqual([]);
  });

  it('literal secret: an error that says so and never shows the value', async () => {
    const messages = await messagesFor({
      'acme.yaml': sftpYaml().replace('password: { env: ACME_PASSWORD }', 'password: hunter2\n  passphrase: { env: "not a name" }'),
    });
    expect(messages).toEqual([
      'partners/acme.yaml: transport.password: found a literal value (not shown), expected { env: NAME } or { file: /path/to/file } (secrets never go into partner files: name an environment variable or a file that holds it) [line 13]',
      'partners/acme.yaml: transport.passphrase.env: found "not a name", expected the name of an environment variable (letters, digits, _) [line 14]',
    ]);
    expect(messages.join('\n')).not.toContain('hunter2');
  });

  it('rules across keys: authentication, archive, file names, delimiters, our identity', async () => {
    const messages = await messagesFor({
      'acme.yaml': sftpYaml()
        .replace('  password: { env: ACME_PASSWORD }\n', '  passphrase: { env: P }\n')
        .replace('inbound: { folder: /acme/outbox }', 'inbound: { folder: /acme/outbox, archive: { action: delete, folder: /x } }')
        .replace('outbound: { folder: /acme/inbox }', "outbound: { folder: /acme/inbox, fileName: 'orders.edi' }") + "x12: { delimiters: { component: '*' } }\n",
    });
    expect(messages).toEqual([
      'partners/acme.yaml: transport.password: missing, expected password: { env: NAME } or privateKey: { file: /path } (at least one of them) [line 9]',
      'partners/acme.yaml: transport.passphrase: found {"env":"P"}, expected a passphrase only together with privateKey [line 13]',
      'partners/acme.yaml: transport.inbound.archive.folder: found "/x", expected no folder with action: delete [line 14]',
      'partners/acme.yaml: transport.outbound.fileName: found "orders.edi", expected a pattern with {control}, {timestamp} or {uuid}, so that two files never get the same name [line 15]',
      'partners/acme.yaml: x12.delimiters: found {"element":"*","component":"*","repetition":"^","segment":"~"}, expected four different characters for element, component, repetition and segment [line 16]',
    ]);
    const noUs = await messagesFor({ '_gateway.yaml': 'defaults: { mode: test }\n', 'b.yaml': folderYaml('BBB', 'b') });
    expect(noUs).toEqual(['partners/b.yaml: us: missing, expected our ISA and GS ids towards this partner, here or under us: in partners/_gateway.yaml [line 2]']);
  });

  it('duplicate ISA ids across files, and a folder that would be two mailboxes', async () => {
    const messages = await messagesFor({
      'a.yaml': folderYaml('SAME', 'shared'),
      'b.yaml': folderYaml('SAME', 'b').replace('b/in', 'shared/out'),
    });
    expect(messages).toEqual([
      'partners/a.yaml: transport.outbound.folder: found "/srv/data/shared/out", expected a folder nobody takes files from (it is the inbound folder of partners/b.yaml: what we send would come back in) [line 8]',
      'partners/b.yaml: identity.isa: found {"qualifier":"ZZ","id":"SAME"}, expected an ISA sender id that no other partner uses (partners/a.yaml has ZZ/SAME too) [line 2]',
    ]);
  });

  it('every problem of every file at once, YAML syntax errors with their line, bad file names', async () => {
    const messages = await messagesFor({
      'broken.yaml': 'mode: [\n',
      'bad name.yaml': folderYaml('X1', 'x1'),
      '_other.yaml': 'x: 1\n',
      'c.yaml': '- just a list\n',
      'd.yaml': folderYaml('DDD', 'd').replace("mode: production", '') + 'mode: prod\n',
    });
    expect(messages).toEqual([
      'partners/_other.yaml: expected a partner file name (letters, digits, - and _, not starting with _) or _gateway.yaml',
      'partners/bad name.yaml: expected a file name that makes a partner code: letters, digits, - and _ (at most 64), found "bad name"',
      expect.stringMatching(/^partners\/broken\.yaml: is not valid YAML: .* \[line 2\]$/),
      'partners/c.yaml: found ["just a list"], expected a partner file (a mapping with the keys name, enabled, mode, x12, acknowledgments, maxFileBytes, identity, us, documents, transport, odoo, alerts, guide)',
      'partners/d.yaml: mode: found "prod", expected production or test [line 9]',
    ]);
  });
});

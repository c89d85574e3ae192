// AS2 in the partner files: our identity in _gateway.yaml (or a partner's transport.us), the
// partner's certificates read at load (relative to the partners folder, PEM or DER, a list for a
// rollover), keys kept as secrets and read by keyPair(), every bad key with its message, duplicate
// AS2 pairs, the directory's lookup by AS2 ids, and certificate expiry: a warning, never a load error.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/alerts/rules.js';
import { loadPartners } from '../../src/partners/load.js';
import { watchPartners } from '../../src/partners/watch.js';
import { recordingLog } from '../transports/sftp/support.js';
import type { Conn } from '../../src/store/index.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import type { As2Transport, Partner } from '../../src/partners/types.js';
import { as2Yaml, gatewayAs2Yaml, makeCert, makeP12, notAfterOf, serialOf, toDer, type Made } from './as2-support.js';
import { GATEWAY_YAML, partnersFolder } from './support.js';

let keys: string;
let ours: Made, theirs: Made, theirs2: Made, east: Made, stranger: Made, locked: Made;
let theirs2Der: string, eastP12: string;
const DAY = 86_400_000;

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), 'edi-as2-keys-'));
  ours = makeCert(keys, 'ours', { cn: 'OURCO' });
  theirs = makeCert(keys, 'theirs', { cn: 'BIGBOX', days: 30 });
  theirs2 = makeCert(keys, 'theirs2', { cn: 'BIGBOX-NEXT', days: 700 });
  theirs2Der = toDer(keys, theirs2, 'theirs2');
  east = makeCert(keys, 'east', { cn: 'OURCO-EAST' });
  eastP12 = makeP12(keys, east, 'east', 'p12-password-not-shown');
  stranger = makeCert(keys, 'stranger');
  locked = makeCert(keys, 'locked', { cn: 'LOCKED', passphrase: 'key-passphrase' });
}, 60_000);
afterAll(() => rmSync(keys, { recursive: true, force: true }));

const OUR_AS2 = `id: OURCO
url: https://edi.example.com/as2/OURCO
certificate: { file: certs/ours.pem }
privateKey: { file: certs/ours.key }`;

/** A partners folder whose certs/ holds every certificate and key made above (for relative paths). */
async function folder(files: Record<string, string>) {
  const f = await partnersFolder(files);
  mkdirSync(join(f.dir, 'certs'));
  for (const name of ['ours.pem', 'ours.key', 'theirs.pem', 'theirs2.pem', 'theirs2.der', 'east.pem', 'east.p12', 'stranger.key', 'locked.pem', 'locked.key']) {
    copyFileSync(join(keys, name), join(f.dir, 'certs', name));
  }
  cleanups.push(f.remove);
  return f;
}
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const bigbox = (extra = '') => as2Yaml('BIGBOX', 'BIGBOX', `url: https://as2.bigbox.example/as2\ncertificate: { file: certs/theirs.pem }\n${extra}`);
const as2Of = (p: Partner | undefined) => p!.transport as As2Transport;

describe('an AS2 partner file', () => {
  it('loads: their certificate and our identity read (relative to the partners folder), defaults applied, keys only through keyPair()', async () => {
    const f = await folder({
      '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2),
      'bigbox.yaml': bigbox('outbound: { encrypt: aes128-gcm, mdn: async, mdnWithinMinutes: 30 }\ninbound: { requireEncrypted: false }'),
    });
    const result = await loadPartners(f.dir, {});
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const t = as2Of(result.partners.get('bigbox'));
    expect(t).toMatchObject({
      type: 'as2', as2Id: 'BIGBOX', url: 'https://as2.bigbox.example/as2',
      inbound: { requireSigned: true, requireEncrypted: false },
      outbound: {
        sign: 'sha256', encrypt: 'aes128-gcm', keyTransport: 'rsa-pkcs1', compress: false, mdn: 'async', mdnSigned: 'sha256',
        mdnWithinMinutes: 30, timeoutSeconds: 120, fileName: '{partner}_{set}_{control}_{timestamp}.edi',
      },
    });
    expect(t.certificates.map((c) => c.subject)).toEqual(['CN=BIGBOX\nO=Test']);
    expect(t.ourKeys).toMatchObject({ id: 'OURCO', url: 'https://edi.example.com/as2/OURCO', form: 'pem', where: 'partners/_gateway.yaml: as2' });
    expect(t.ourKeys.certificates[0]!.subject).toBe('CN=OURCO\nO=Test');
    expect(t.ourKeys.privateKey).toMatchObject({ source: 'file', ref: join(f.dir, 'certs', 'ours.key') });

    const pair = t.ourKeys.keyPair();
    expect(pair.privateKey.type).toBe('private');
    expect(pair.certificate.checkPrivateKey(pair.privateKey)).toBe(true);
    expect(pair.certificate.serialNumber).toBe(serialOf(ours.cert));

    // Neither JSON nor inspection shows where the key is, let alone the key.
    const shown = JSON.stringify(result.partners.get('bigbox')) + inspect(result.partners.get('bigbox'), { depth: 10 });
    expect(shown).not.toContain('ours.key');
    expect(shown).not.toContain('PRIVATE KEY');
    expect(Object.isFrozen(t.ourKeys)).toBe(true);

    expect(result.gateway.as2).toMatchObject({ id: 'OURCO', maxMessageBytes: 104_857_600 });
    expect(result.partners.get('bigbox')!.expiries).toEqual([
      { name: `transport.certificate (CN=BIGBOX, O=Test, serial ${serialOf(theirs.cert)})`, expires: notAfterOf(theirs.cert) },
      { name: `as2 certificate (ours, CN=OURCO, O=Test, serial ${serialOf(ours.cert)})`, expires: notAfterOf(ours.cert) },
    ]);
  });

  it('our identity from transport.us: a PKCS#12 with its password; their certificates as a list (PEM and DER) for a rollover; an encrypted PEM key', async () => {
    const f = await folder({
      '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2),
      'bigbox.yaml': bigbox(),
      'zeta.yaml': as2Yaml('ZETA', 'ZETA', `url: https://zeta.example/as2
certificate: [{ file: certs/theirs.pem }, { file: certs/theirs2.der }]
us: { id: OURCO-EAST, url: 'https://edi.example.com/as2/OURCO-EAST', pkcs12: { file: certs/east.p12 }, password: { env: EAST_P12_PASSWORD } }`),
      'locked.yaml': as2Yaml('LOCKED', 'LOCKED', `url: https://locked.example/as2
certificate: { file: certs/theirs.pem }
us: { id: OURCO-L, certificate: { file: certs/locked.pem }, privateKey: { file: certs/locked.key }, passphrase: { env: LOCKED_PASS } }`),
    });
    const result = await loadPartners(f.dir, { EAST_P12_PASSWORD: 'p12-password-not-shown', LOCKED_PASS: 'key-passphrase' });
    expect(result.errors).toEqual([]);
    const zeta = as2Of(result.partners.get('zeta'));
    expect(zeta.certificates.map((c) => c.serialNumber)).toEqual([serialOf(theirs.cert), serialOf(theirs2.cert)]);
    expect(zeta.ourKeys).toMatchObject({ id: 'OURCO-EAST', url: 'https://edi.example.com/as2/OURCO-EAST', form: 'pkcs12', where: 'partners/zeta.yaml: transport.us' });
    expect(zeta.ourKeys.certificates[0]!.serialNumber).toBe(serialOf(east.cert));
    expect(zeta.ourKeys.keyPair().certificate.serialNumber).toBe(serialOf(east.cert));
    expect(JSON.stringify(result.partners.get('zeta'))).not.toContain('east.p12');
    // Each certificate of the list is dated.
    expect(result.partners.get('zeta')!.expiries!.map((e) => e.name)).toEqual([
      `transport.certificate (CN=BIGBOX, O=Test, serial ${serialOf(theirs.cert)})`,
      `transport.certificate (CN=BIGBOX-NEXT, O=Test, serial ${serialOf(theirs2.cert)})`,
      `as2 certificate (ours, CN=OURCO-EAST, O=Test, serial ${serialOf(east.cert)})`,
    ]);
    expect(as2Of(result.partners.get('locked')).ourKeys.keyPair().certificate.subject).toBe('CN=LOCKED\nO=Test');

    // The directory finds a partner by (their AS2 id, our AS2 id), exactly and case-sensitively.
    const directory = partnerDirectory(result);
    expect(directory.byAs2('BIGBOX', 'OURCO')?.code).toBe('bigbox');
    expect(directory.byAs2('ZETA', 'OURCO-EAST')?.code).toBe('zeta');
    expect(directory.byAs2('ZETA', 'OURCO')).toBeUndefined();
    expect(directory.byAs2('bigbox', 'OURCO')).toBeUndefined();
    expect(directory.byAs2('BIGBOX', 'ourco')).toBeUndefined();
    expect(directory.as2Ids()).toEqual(['OURCO', 'OURCO-EAST', 'OURCO-L']);
    // A reload that removes a partner drops its pair and its id.
    directory.replace({ partners: new Map([['bigbox', result.partners.get('bigbox')!]]), gateway: result.gateway });
    expect(directory.byAs2('ZETA', 'OURCO-EAST')).toBeUndefined();
    expect(directory.as2Ids()).toEqual(['OURCO']);
  });

  it('a key whose source cannot be read here loads (edi partners check reports it); keyPair() then names the source', async () => {
    const f = await folder({
      '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, 'id: OURCO\ncertificate: { file: certs/ours.pem }\nprivateKey: { env: OUR_AS2_KEY }'),
      'bigbox.yaml': bigbox(),
      'zeta.yaml': as2Yaml('ZETA', 'ZETA', 'url: https://zeta.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: EAST, pkcs12: { file: certs/east.p12 }, password: { env: EAST_P12_PASSWORD } }'),
    });
    const result = await loadPartners(f.dir, {});
    expect(result.errors).toEqual([]);
    expect(() => as2Of(result.partners.get('bigbox')).ourKeys.keyPair()).toThrow('partners/_gateway.yaml: as2.privateKey: the environment variable OUR_AS2_KEY is not set');
    // A PKCS#12 whose password is not here: our certificate is not known yet, and that is said.
    expect(as2Of(result.partners.get('zeta')).ourKeys.certificates).toEqual([]);
    expect(result.warnings.map((w) => w.message)).toEqual([
      'partners/zeta.yaml: transport.us.pkcs12: WARNING: our certificate is not known until the PKCS#12 file can be opened: partners/zeta.yaml: transport.us.password: the environment variable EAST_P12_PASSWORD is not set (the partner file names it as the secret\'s source) [line 10]',
    ]);
  });
});

describe('problems of an AS2 partner file, each naming the key, what was found and what is expected', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a missing certificate file', 'url: https://b.example/as2\ncertificate: { file: certs/nope.pem }',
      ['partners/p.yaml: transport.certificate.file: found "certs/nope.pem", expected a certificate file (PEM or DER) the gateway can read (no such file <dir>/certs/nope.pem)']],
    ['a key instead of a certificate', 'url: https://b.example/as2\ncertificate: { file: certs/stranger.key }',
      ['partners/p.yaml: transport.certificate.file: found "certs/stranger.key", expected a certificate file (PEM or DER) the gateway can read (<dir>/certs/stranger.key is not a certificate: the PEM file holds no CERTIFICATE block)']],
    ['our key not belonging to our certificate', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, certificate: { file: certs/east.pem }, privateKey: { file: certs/stranger.key } }',
      ['partners/p.yaml: transport.us.privateKey: found {"file":"certs/stranger.key"}, expected the private key of our certificate (CN=OURCO-EAST, O=Test, serial <east>) (the key in the file <dir>/certs/stranger.key does not belong to the certificate (CN=OURCO-EAST, O=Test, serial <east>))']],
    ['a PKCS#12 password that does not open it', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, pkcs12: { file: certs/east.p12 }, password: { env: WRONG } }',
      ['partners/p.yaml: transport.us.pkcs12: found {"file":"certs/east.p12"}, expected a PKCS#12 file that the password opens, holding our key and certificate (the file <dir>/certs/east.p12: ']],
    ['pkcs12 and certificate together', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, pkcs12: { file: certs/east.p12 }, password: { env: WRONG }, certificate: { file: certs/east.pem } }',
      ['partners/p.yaml: transport.us.pkcs12: found {"file":"certs/east.p12"}, expected either pkcs12 + password, or certificate + privateKey (+ passphrase), not both']],
    ['pkcs12 without its password, from an environment variable', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, pkcs12: { env: P12 } }',
      ['partners/p.yaml: transport.us.pkcs12: found {"env":"P12"}, expected { file: path }: a PKCS#12 file is binary, an environment variable cannot hold it',
        "partners/p.yaml: transport.us.password: missing, expected the PKCS#12 file's password: { env: NAME } or { file: path }"]],
    ['a certificate without its key', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, certificate: { file: certs/east.pem } }',
      ['partners/p.yaml: transport.us.privateKey: missing, expected our private key: { file: path } or { env: NAME } (PEM or DER), with certificate; or pkcs12 + password instead']],
    ['a literal key', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: X, certificate: { file: certs/east.pem }, privateKey: "-----BEGIN PRIVATE KEY-----" }',
      ['partners/p.yaml: transport.us.privateKey: found a literal value (not shown), expected { env: NAME } or { file: /path/to/file } (secrets never go into partner files: name an environment variable or a file that holds it)']],
    ['no URL while there are sets to send', 'certificate: { file: certs/theirs.pem }',
      ["partners/p.yaml: transport.url: missing, expected the partner's AS2 URL, where we send to (documents.outbound lists sets to send)"]],
    ['settings that do nothing', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\noutbound: { encrypt: none, keyTransport: rsa-oaep, mdn: none, mdnSigned: sha1 }',
      ['partners/p.yaml: transport.outbound.keyTransport: found "rsa-oaep", expected no keyTransport with encrypt: none (it is how the content key is encrypted)',
        'partners/p.yaml: transport.outbound.mdnSigned: found "sha1", expected no mdnSigned with mdn: none (it asks for a signed receipt)']],
    ['a deadline for a synchronous MDN', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\noutbound: { mdnWithinMinutes: 10 }',
      ['partners/p.yaml: transport.outbound.mdnWithinMinutes: found 10 (a number), expected no mdnWithinMinutes unless mdn: async (a synchronous MDN comes in the same exchange)']],
    ['an asynchronous MDN with no URL of ours', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: OTHER }\noutbound: { mdn: async }',
      ['partners/p.yaml: transport.us.url: missing, expected our public AS2 URL, where the partner returns the asynchronous MDN (here, or url: under as2: in partners/_gateway.yaml)']],
    ['an AS2 id with a quote', "url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: 'A\"B' }",
      ['partners/p.yaml: transport.us.id: found "A\\"B", expected our AS2 id: 1 to 128 printable ASCII characters (no " or \\, no space at either end)']],
    ['another name for a key', 'url: https://b.example/as2\ncertificates: [{ file: certs/theirs.pem }]',
      ["partners/p.yaml: transport.certificate: missing, expected the partner's certificate: { file: path }, or a list of them (rollover)",
        'partners/p.yaml: transport.certificates: found [{"file":"certs/theirs.pem"}], expected the key certificate instead (the gateway calls certificates certificate)']],
    ['an unknown digest', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }\noutbound: { sign: md5 }',
      ['partners/p.yaml: transport.outbound.sign: found "md5", expected sha1, sha256, sha384, sha512 or none']],
    ['a URL that is none', 'url: as2.bigbox.example\ncertificate: { file: certs/theirs.pem }',
      ['partners/p.yaml: transport.url: found a literal value (not shown), expected where we send to: an http:// or https:// URL']],
  ];
  it.each(cases)('%s', async (_what, transport, expected) => {
    const f = await folder({ '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2), 'p.yaml': as2Yaml('PPP', 'PPP', transport) });
    const result = await loadPartners(f.dir, { WRONG: 'not-the-password' });
    const messages = result.errors.map((e) => e.message.replace(/ \[line \d+\]$/, '').replaceAll(f.dir, '<dir>').replaceAll(serialOf(east.cert), '<east>'));
    // An expected message ending in ': ' is the start of one whose end is the CMS layer's wording.
    expect(messages.map((m, i) => (expected[i]?.endsWith(': ') ? m.slice(0, expected[i].length) : m))).toEqual(expected);
    expect(result.partners.has('p')).toBe(false);
    expect(result.broken.map((b) => b.code)).toEqual(['p']);
    expect(result.errors.map((e) => e.message).join('\n')).not.toContain('not-the-password');
  });

  it('without our AS2 identity anywhere, the partner file says where to give it', async () => {
    const f = await folder({ '_gateway.yaml': GATEWAY_YAML, 'p.yaml': bigbox() });
    const result = await loadPartners(f.dir, {});
    expect(result.errors.map((e) => e.message)).toEqual([
      'partners/p.yaml: transport.us: missing, expected our AS2 id and keys towards this partner, here (us: { id, certificate, privateKey }) or under as2: in partners/_gateway.yaml [line 6]',
    ]);
  });

  it('problems in _gateway.yaml as2 are the gateway\'s own: fatal', async () => {
    const f = await folder({ '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, 'id: OURCO\ncertificate: { file: certs/gone.pem }\nprivateKey: { file: certs/ours.key }'), 'bigbox.yaml': bigbox() });
    const result = await loadPartners(f.dir, {});
    expect(result.fatal.map((e) => e.message.replaceAll(f.dir, '<dir>'))).toEqual([
      'partners/_gateway.yaml: as2.certificate.file: found "certs/gone.pem", expected a certificate file (PEM or DER) the gateway can read (no such file <dir>/certs/gone.pem) [line 9]',
    ]);
  });

  it('two partner files with the same pair of AS2 ids: the second is a problem; the same id towards another of ours is not', async () => {
    const f = await folder({
      '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2),
      'a.yaml': as2Yaml('AAA', 'SAME', 'url: https://a.example/as2\ncertificate: { file: certs/theirs.pem }'),
      'b.yaml': as2Yaml('BBB', 'SAME', 'url: https://b.example/as2\ncertificate: { file: certs/theirs.pem }'),
      'c.yaml': as2Yaml('CCC', 'SAME', 'url: https://c.example/as2\ncertificate: { file: certs/theirs.pem }\nus: { id: OURCO-EAST, certificate: { file: certs/east.pem }, privateKey: { file: certs/stranger.key } }'.replace('stranger.key', 'ours.key').replace('east.pem', 'ours.pem')),
    });
    const result = await loadPartners(f.dir, {});
    expect(result.errors.map((e) => e.message)).toEqual([
      'partners/b.yaml: transport.as2Id: found "SAME", expected an AS2 id that no other partner uses towards our AS2 id OURCO (partners/a.yaml has SAME to OURCO too) [line 7]',
    ]);
    expect([...result.partners.keys()].sort()).toEqual(['a', 'c']);
  });
});

describe('certificate expiry', () => {
  it('an expired certificate (theirs or ours) is a loud warning: the partner still loads, and its expiry is listed for the alert', async () => {
    const f = await folder({ '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2), 'bigbox.yaml': bigbox() });
    // 400 days on: their 30-day certificate and our 365-day one have run out.
    const result = await loadPartners(f.dir, {}, { now: new Date(Date.now() + 400 * DAY) });
    expect(result.errors).toEqual([]);
    expect(result.partners.has('bigbox')).toBe(true);
    expect(result.warnings.map((w) => w.message)).toEqual([
      `partners/_gateway.yaml: as2.certificate: WARNING: our certificate CN=OURCO, O=Test, serial ${serialOf(ours.cert)} EXPIRED on ${notAfterOf(ours.cert)}: partners may refuse what it signs; make a new one and give it to the partners now [line 10]`,
      `partners/bigbox.yaml: transport.certificate: WARNING: the partner's certificate CN=BIGBOX, O=Test, serial ${serialOf(theirs.cert)} EXPIRED on ${notAfterOf(theirs.cert)}: ask the partner for their new one and add it to the file [line 9]`,
    ]);
    expect(result.partners.get('bigbox')!.expiries!.map((e) => e.expires)).toEqual([notAfterOf(theirs.cert), notAfterOf(ours.cert)]);
  });

  it('the alert rule `expiring` names the certificate that runs out within its threshold', async () => {
    const f = await folder({ '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2), 'bigbox.yaml': bigbox() });
    const result = await loadPartners(f.dir, {});
    // The rule reads the directory only (no database).
    const items = await RULES.expiring.collect({
      db: {} as Conn, partners: partnerDirectory(result), now: new Date(Date.now() + 20 * DAY), settings: () => ({ enabled: true, threshold: 30 }),
    });
    expect(items.map((i) => i.summary)).toEqual([
      `bigbox transport.certificate (CN=BIGBOX, O=Test, serial ${serialOf(theirs.cert)}) expires on ${notAfterOf(theirs.cert)} (in 10 days)`,
    ]);
  });

  it('a running gateway logs the warning at every load, and serves the partner all the same', async () => {
    const f = await folder({ '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, OUR_AS2), 'bigbox.yaml': bigbox() });
    const { log, lines } = recordingLog();
    const watcher = await watchPartners({ dir: f.dir, env: {}, log, watch: false, sighup: false, now: () => new Date(Date.now() + 40 * DAY) });
    try {
      const warned = () => lines.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warned()).toEqual([expect.stringContaining("partners/bigbox.yaml: transport.certificate: WARNING: the partner's certificate CN=BIGBOX, O=Test")]);
      expect(watcher.byAs2('BIGBOX', 'OURCO')?.code).toBe('bigbox');
      expect(watcher.as2Ids()).toEqual(['OURCO']);
      await watcher.reload('test');
      expect(warned()).toHaveLength(2);
    } finally {
      await watcher.close();
    }
  });
});

// edi partners check for AS2 partners: the certificates (subject, serial, not-after, days left,
// EXPIRED), whether our key belongs to our certificate, and the URLs; --connect CODE the same with
// its exit code. Also `edi partners` lists an AS2 partner by its ids and URL.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import { partnersCheckCommand, partnersConnectCommand, partnersListCommand } from '../../src/cli/commands/partners.js';
import { as2Yaml, gatewayAs2Yaml, makeCert, notAfterOf, serialOf, type Made } from './as2-support.js';
import { GATEWAY_YAML, partnersFolder } from './support.js';

let keys: string;
let ours: Made, theirs: Made;
const DAY = 86_400_000;

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), 'edi-as2-check-'));
  ours = makeCert(keys, 'ours', { cn: 'OURCO' });
  theirs = makeCert(keys, 'theirs', { cn: 'BIGBOX', days: 30 });
}, 60_000);
afterAll(() => rmSync(keys, { recursive: true, force: true }));

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

async function folder(ourKey: string) {
  const f = await partnersFolder({
    '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, `id: OURCO\nurl: https://edi.example.com/as2/OURCO\ncertificate: { file: certs/ours.pem }\nprivateKey: ${ourKey}`),
    'bigbox.yaml': as2Yaml('BIGBOX', 'BIGBOX', 'url: https://as2.bigbox.example/as2\ncertificate: { file: certs/theirs.pem }'),
  });
  mkdirSync(join(f.dir, 'certs'));
  for (const name of ['ours.pem', 'ours.key', 'theirs.pem']) copyFileSync(join(keys, name), join(f.dir, 'certs', name));
  return f;
}

describe('edi partners check, an AS2 partner', () => {
  it('prints the certificates with their expiry, that our key is our certificate\'s, and the URLs; exit 0', async () => {
    const f = await folder('{ file: certs/ours.key }');
    const io = capture();
    expect(await partnersCheckCommand({ partners: f.dir }, io, {})).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(io.stdout).toEqual([
      'bigbox: as2 BIGBOX <-> OURCO',
      // 29 days left: within the expiring alert's 30 days, so SOON (still fine: exit 0).
      `  SOON     their certificate  CN=BIGBOX, O=Test, serial ${serialOf(theirs.cert)}, not after ${notAfterOf(theirs.cert)} (29 day(s) left)`,
      `  ok       our certificate    CN=OURCO, O=Test, serial ${serialOf(ours.cert)}, not after ${notAfterOf(ours.cert)} (364 day(s) left)`,
      `  ok       our key            belongs to our certificate (file ${join(f.dir, 'certs', 'ours.key')}, rsa)`,
      '  ok       their AS2 URL      https://as2.bigbox.example/as2 (we send as OURCO to BIGBOX)',
      '  ok       our AS2 URL        https://edi.example.com/as2/OURCO: give it to the partner with our AS2 id OURCO and our certificate',
      `${f.dir}: 1 partner(s), no problem`,
    ]);
    const json = capture();
    await partnersCheckCommand({ partners: f.dir, json: true }, json, {});
    const report = JSON.parse(json.stdout.join('\n')) as { as2: Array<{ partner: string; steps: Array<{ what: string; ok: boolean; soon?: boolean }> }>; warnings: string[] };
    expect(report.as2[0]!.steps.map((s) => [s.what, s.ok])).toEqual([['their certificate', true], ['our certificate', true], ['our key', true], ['their AS2 URL', true], ['our AS2 URL', true]]);
    expect(report.as2[0]!.steps.filter((s) => s.soon).map((s) => s.what)).toEqual(['their certificate']);
    expect(report.warnings).toEqual([]);

    // --connect: the same facts, nothing sent; exit 0.
    const connect = capture();
    expect(await partnersConnectCommand('bigbox', { partners: f.dir }, connect, {})).toBe(0);
    expect(connect.stdout[0]).toBe('bigbox: as2 BIGBOX <-> OURCO');
    expect(connect.stdout.at(-1)).toBe('bigbox: the connection works');

    // `edi partners`: its ids and where we send.
    const list = capture();
    await partnersListCommand({ partners: f.dir, json: true }, list, undefined, {});
    expect(JSON.parse(list.stdout.join('\n'))).toMatchObject([{ code: 'bigbox', transport: 'as2 BIGBOX <-> OURCO', inbound: 'AS2 from BIGBOX (850)', outbound: 'https://as2.bigbox.example/as2 (855)' }]);
    await f.remove();
  });

  it('SOON follows the expiring alert: its threshold for the partner (partner file, else _gateway.yaml, else 30), the same day count, nothing when the rule is off', async () => {
    const f = await folder('{ file: certs/ours.key }');
    const line = async (now?: Date) => {
      const io = capture();
      expect(await partnersCheckCommand({ partners: f.dir, ...(now ? { now } : {}) }, io, {})).toBe(0);
      return io.stdout.find((l) => l.includes('their certificate'))!.slice(2, 9).trim();
    };
    // The alert's own count for the same certificate on the same days.
    const expires = new Date(notAfterOf(theirs.cert)).toISOString().slice(0, 10);
    const at = (days: number) => new Date(Date.parse(`${expires}T00:00:00Z`) - days * DAY);
    expect(await line(at(31))).toBe('ok');
    expect(await line(at(30))).toBe('SOON');
    expect(await line(at(1))).toBe('SOON');
    // A partner file that asks for warnings at 10 days: 29 days left is ok, 10 is SOON.
    const ten = 'alerts:\n  rules:\n    expiring: { threshold: 10 }\n';
    const yaml = join(f.dir, 'bigbox.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8') + ten);
    expect(await line()).toBe('ok');
    expect(await line(at(10))).toBe('SOON');
    // The rule switched off for the partner: no SOON.
    const original = readFileSync(yaml, 'utf8').replace(ten, '');
    writeFileSync(yaml, original + 'alerts:\n  rules:\n    expiring: { enabled: false }\n');
    expect(await line(at(1))).toBe('ok');
    // Set for every partner in _gateway.yaml (5 days), none in the partner file.
    writeFileSync(yaml, original);
    const gateway = join(f.dir, '_gateway.yaml');
    writeFileSync(gateway, readFileSync(gateway, 'utf8') + '\nalerts:\n  rules:\n    expiring: { threshold: 5 }\n');
    expect(await line(at(6))).toBe('ok');
    expect(await line(at(5))).toBe('SOON');
    await f.remove();
  });

  it('our key unreadable here: a problem naming its source, never a value; exit 1 (5 for --connect)', async () => {
    const f = await folder('{ env: OUR_AS2_KEY }');
    const io = capture();
    expect(await partnersCheckCommand({ partners: f.dir }, io, {})).toBe(1);
    const unset = 'partners/_gateway.yaml: as2.privateKey: the environment variable OUR_AS2_KEY is not set (the partner file names it as the secret\'s source)';
    expect(io.stderr).toEqual([unset]);
    expect(io.stdout).toContain(`  FAIL     our key            ${unset}`);
    expect(await partnersConnectCommand('bigbox', { partners: f.dir }, capture(), {})).toBe(5);
    // Not reading secrets (a machine without them): no problem, and no key line.
    const formOnly = capture();
    expect(await partnersCheckCommand({ partners: f.dir, secrets: false }, formOnly, {})).toBe(0);
    expect(formOnly.stdout.some((l) => l.includes('our key'))).toBe(false);
    await f.remove();
  });

  it('expired certificates: EXPIRED lines and loud warnings, still exit 0 (the partner runs); --connect exits 1', async () => {
    const f = await folder('{ file: certs/ours.key }');
    const later = new Date(Date.now() + 400 * DAY);
    const io = capture();
    expect(await partnersCheckCommand({ partners: f.dir, now: later }, io, {})).toBe(0);
    expect(io.stderr).toEqual([
      expect.stringMatching(/^partners\/_gateway\.yaml: as2\.certificate: WARNING: our certificate CN=OURCO, O=Test, serial \w+ EXPIRED on /),
      expect.stringMatching(/^partners\/bigbox\.yaml: transport\.certificate: WARNING: the partner's certificate CN=BIGBOX, O=Test, serial \w+ EXPIRED on /),
    ]);
    expect(io.stdout[1]).toMatch(/^ {2}EXPIRED {2}their certificate {2}CN=BIGBOX, O=Test, serial \w+, not after \d{4}-\d\d-\d\d \(EXPIRED 37\d day\(s\) ago\)$/);
    expect(io.stdout[2]).toMatch(/^ {2}EXPIRED {2}our certificate {4}CN=OURCO, .*\(EXPIRED 3\d day\(s\) ago\)$/);
    const connect = capture();
    expect(await partnersConnectCommand('bigbox', { partners: f.dir, now: later }, connect, {})).toBe(1);
    expect(connect.stdout.at(-1)).toBe('bigbox: 2 check(s) failed (certificates)');
    await f.remove();
  });
});

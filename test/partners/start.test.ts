// edi start with partner files: a transport per enabled partner, restarted on change and stopped on
// removal (through the starters a test hands in), the drop folder kept for the sample partner,
// and no start at all when a partner file has a problem. Plus edi partners / edi partners check.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import type { PartnerTransportHandle } from '../../src/runtime/partner-transports.js';
import { partnersCheckCommand, partnersListCommand } from '../../src/cli/commands/partners.js';
import { startCommand } from '../../src/cli/commands/start.js';
import type { TransportContext } from '../../src/runtime/transport-starters.js';
import { cliLogger } from '../../src/cli/log.js';
import type { Partner } from '../../src/partners/types.js';
import { recordHealthFailure, recordHealthSuccess } from '../../src/store/partners-repo.js';
import { useTestDatabase } from '../support/db.js';
import { folderYaml, GATEWAY_YAML, partnersFolder, sftpYaml } from './support.js';
import { bytes, x12 } from '../jobs/support.js';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { listFiles } from '../../src/store/files-repo.js';

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'edi-start-partners-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A folder starter that records what happens to it. */
function recordingStarter() {
  const events: string[] = [];
  const contexts: TransportContext[] = [];
  const starter = (partner: Partner, context: TransportContext): PartnerTransportHandle => {
    events.push(`start ${partner.code} ${partner.maxFileBytes}`);
    contexts.push(context);
    return { stop: async () => void events.push(`stop ${partner.code}`) };
  };
  return { events, contexts, starter };
}

describe('edi start with partners/', () => {
  it('starts a transport per enabled partner, follows changes, keeps the sample drop folder, stops them all', { timeout: 60_000 }, async () => {
    const f = await partnersFolder({
      '_gateway.yaml': GATEWAY_YAML,
      'a.yaml': folderYaml('AAA', 'a'),
      'off.yaml': folderYaml('OFF', 'off', 'enabled: false'),
    });
    const { events, contexts, starter } = recordingStarter();
    const controller = new AbortController();
    const lines: string[] = [];
    const log = cliLogger({ level: 'info', format: 'pretty', write: (l) => void lines.push(l) });
    const io = capture();
    const running = startCommand(
      { dataDir, interval: '0.2', samples: false, partners: f.dir, verbose: true },
      { io, log, db, signal: controller.signal, env: {}, transports: { folder: starter }, gateway: { jobExpireSeconds: 10 } },
    );
    try {
      await until(() => events.includes('start a 104857600'));
      expect(events).toEqual(['start a 104857600']);
      expect(contexts[0]!.directory.get('a')?.code).toBe('a');
      expect(typeof contexts[0]!.intake).toBe('function');
      expect(lines.join('')).toMatch(/partner disabled \(enabled: false\): transport not started/);

      await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: 777'));
      await until(() => events.includes('start a 777'));
      await f.write('b.yaml', folderYaml('BBB', 'b'));
      await until(() => events.some((e) => e.startsWith('start b')));
      await rm(join(f.dir, 'b.yaml'));
      await until(() => events.includes('stop b'));
      expect(events).toEqual(['start a 104857600', 'stop a', 'start a 777', 'start b 104857600', 'stop b']);
      // The sample partner (no file) still has its drop folder.
      expect(lines.join('')).toMatch(/gateway running: drop X12 files into the inbox/);
    } finally {
      controller.abort();
    }
    expect(await running).toBe(0);
    expect(events.at(-1)).toBe('stop a');
    await f.remove();
  });

  it('--once: a real folder partner\'s files go through to posted under its code, archived, in the summary', { timeout: 60_000 }, async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'globex.yaml': folderYaml('GLOBEX', 'globex').replace('{ folder: globex/in }', '{ folder: globex/in, stableSeconds: 0.2 }') });
    const inbound = join(dataDir, 'globex', 'in');
    await mkdir(inbound, { recursive: true });
    await writeFile(join(inbound, 'po-1.edi'), bytes(x12({ control: 801, sender: 'GLOBEX', sets: 2 })));
    await writeFile(join(inbound, 'po-1.edi.part'), 'still being written');
    const io = capture();
    const lines: string[] = [];
    const code = await startCommand(
      { dataDir, once: true, samples: false, partners: f.dir },
      { io, log: cliLogger({ level: 'info', format: 'pretty', write: (l) => void lines.push(l) }), db, env: {}, gateway: { jobExpireSeconds: 10 } },
    );
    expect(code, lines.join('') + io.stderr.join('\n')).toBe(0);
    expect(io.stdout.join('\n')).toContain('1 file(s) taken');
    expect(io.stdout.join('\n')).toMatch(/posted\s+2/);
    expect((await readdir(inbound)).sort()).toEqual(['archive', 'po-1.edi.part']);
    expect(await readdir(join(inbound, 'archive'))).toEqual([expect.stringMatching(/-po-1\.edi$/)]);
    const [file] = await listFiles(db, { partner: 'globex' });
    expect(file).toMatchObject({ partner: 'globex', channel: 'folder', sourceName: 'po-1.edi' });
    await f.remove();
  });

  it('starts with a broken partner file: that partner is out of service (ERROR lines with file, key and rule), the others run', { timeout: 60_000 }, async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'a.yaml': folderYaml('AAA', 'brk-a'), 'b.yaml': sftpYaml().replace(/hostKey: '[^']*'/, "hostKey: 'x'") });
    const { events, starter } = recordingStarter();
    const io = capture();
    const lines: string[] = [];
    const code = await startCommand(
      { dataDir, once: true, samples: false, partners: f.dir },
      { io, log: cliLogger({ level: 'info', format: 'json', write: (l) => void lines.push(l) }), db, env: {}, transports: { folder: starter, sftp: starter } },
    );
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(events).toEqual(['start a 104857600', 'stop a']);
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string; file?: string; key?: string }).filter((l) => l.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({ file: 'partners/b.yaml', key: 'transport.hostKey', msg: 'partners/b.yaml: transport.hostKey: found "x", expected a SHA256 fingerprint like SHA256:base64 (ssh-keygen -lf) [line 12]' }),
      expect.objectContaining({ file: 'partners/b.yaml', msg: expect.stringMatching(/^partner b is OUT OF SERVICE: 1 problem\(s\) in partners\/b\.yaml/) }),
    ]);

    const list = capture();
    expect(await partnersListCommand({ partners: f.dir, dataDir: '/srv/data' }, list, undefined, {})).toBe(1);
    expect(list.stdout[1]).toMatch(/^a\s+a\s+production\s+folder/);
    expect(list.stdout[2]).toMatch(/^b\s+-\s+-\s+-\s+-\s+-\s+OUT OF SERVICE: partners\/b\.yaml: transport\.hostKey: found "x", expected a SHA256/);
    expect(list.stderr).toEqual([`1 problem(s) in ${f.dir}; a partner whose file has a problem is OUT OF SERVICE (edi partners check prints every problem)`]);
    await f.remove();
  });

  it('does not start (exit 70) when the gateway\'s own settings have a problem, and prints every one', async () => {
    const f = await partnersFolder({ '_gateway.yaml': `${GATEWAY_YAML}hots: 1\n`, 'a.yaml': 'mode: prod\n' });
    const io = capture();
    const code = await startCommand({ dataDir, once: true, samples: false, partners: f.dir }, { io, log: cliLogger({ level: 'error', write: () => {} }), db, env: {} });
    expect(code).toBe(70);
    expect(io.stderr[0]).toMatch(/^partners\/_gateway\.yaml: hots: found 1 \(a number\), expected no key hots here/);
    expect(io.stderr.at(-1)).toBe(`error: ${io.stderr.length - 1} problem(s) in ${f.dir}: the gateway does not start (edi partners check lists them)`);
    await f.remove();
  });
});

describe('edi partners', () => {
  it('lists partners with transport, folders, sets and health', async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': sftpYaml(), 'globex.yaml': folderYaml('GLOBEX', 'g'), 'off.yaml': folderYaml('OFF', 'o', 'enabled: false') });
    await recordHealthFailure(db, { partner: 'acme', transport: 'sftp', error: 'connect ECONNREFUSED 10.0.0.1:22' });
    await recordHealthFailure(db, { partner: 'acme', transport: 'sftp', error: 'connect ECONNREFUSED 10.0.0.1:22' });
    await recordHealthSuccess(db, { partner: 'globex', transport: 'folder' });
    const io = capture();
    expect(await partnersListCommand({ partners: f.dir, dataDir: '/srv/data' }, io, db, {})).toBe(0);
    expect(io.stdout[0]).toMatch(/^PARTNER\s+NAME\s+MODE\s+TRANSPORT\s+INBOUND\s+OUTBOUND\s+HEALTH$/);
    expect(io.stdout[1]).toMatch(/^acme\s+ACMEBUYER Inc\s+production\s+sftp acme@sftp\.example\s+\/acme\/outbox \(850\)\s+\/acme\/inbox \(no sets\)\s+FAILING x2: connect ECONNREFUSED 10\.0\.0\.1:22$/);
    expect(io.stdout[2]).toMatch(/^globex\s+globex\s+production\s+folder\s+\/srv\/data\/g\/in \(850,856\)\s+\/srv\/data\/g\/out \(no sets\)\s+ok \(\d+ s ago\)$/);
    expect(io.stdout[3]).toMatch(/^off\s.*disabled \(enabled: false\)$/);

    const json = capture();
    await partnersListCommand({ partners: f.dir, json: true }, json, undefined, {});
    const listed = JSON.parse(json.stdout.join('\n')) as Array<{ code: string; transport: string; health: unknown }>;
    expect(listed.map((p) => [p.code, p.transport, p.health])).toEqual([['acme', 'sftp acme@sftp.example', null], ['globex', 'folder', null], ['off', 'folder', null]]);
    expect(json.stdout.join('\n')).not.toContain('PASSWORD');
    await f.remove();
  });

  it('check: exit 0 when all is well, 1 with every problem (secrets included) otherwise', async () => {
    const examples = resolve(import.meta.dirname, '..', '..', 'partners');
    // The shipped examples are disabled: checked for form only, their missing key file and passphrase are no problem.
    const ok = capture();
    expect(await partnersCheckCommand({ partners: examples }, ok, {})).toBe(0);
    expect(ok.stdout).toEqual([`${examples}: 3 partner(s), no problem`, 'disabled (enabled: false), checked for form only (secrets not read): acme-sftp, bigbox-retail, globex-folder']);
    expect(ok.stderr).toEqual([]);

    // Enabled, its secrets must be readable now.
    const live = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': sftpYaml() });
    const secrets = capture();
    expect(await partnersCheckCommand({ partners: live.dir }, secrets, {})).toBe(1);
    expect(secrets.stderr).toEqual(['partners/acme.yaml: transport.password: the environment variable ACME_PASSWORD is not set (the partner file names it as the secret\'s source)']);
    expect(await partnersCheckCommand({ partners: live.dir }, capture(), { ACME_PASSWORD: 'x' })).toBe(0);
    await live.remove();

    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'a.yaml': folderYaml('AAA', 'a'), 'b.yaml': folderYaml('AAA', 'b'), 'c.yaml': folderYaml('CCC', 'c', 'ack: {}') });
    const bad = capture();
    expect(await partnersCheckCommand({ partners: f.dir }, bad, {})).toBe(1);
    expect(bad.stderr).toEqual([
      'partners/b.yaml: identity.isa: found {"qualifier":"ZZ","id":"AAA"}, expected an ISA sender id that no other partner uses (partners/a.yaml has ZZ/AAA too) [line 2]',
      'partners/c.yaml: ack: found {}, expected the key acknowledgments instead (the gateway calls ack acknowledgments) [line 4]',
    ]);
    expect(bad.stdout).toEqual([`${f.dir}: 2 problem(s); out of service until fixed: b, c`]);
    await f.remove();
  });
});

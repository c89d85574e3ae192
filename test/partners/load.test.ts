// Loading partner files: the shipped examples, defaults and their precedence, frozen results and
// secrets that neither print nor serialize.
import { inspect } from 'node:util';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPartners } from '../../src/partners/load.js';
import { SecretError } from '../../src/partners/secrets.js';
import type { FolderTransport, SftpTransport } from '../../src/partners/types.js';
import { folderYaml, GATEWAY_YAML, partnersFolder, sftpYaml } from './support.js';

const examples = resolve(import.meta.dirname, '..', '..', 'partners');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('the shipped examples (partners/)', () => {
  it('load without a problem: an SFTP partner and a folder partner, our identity from _gateway.yaml', async () => {
    const result = await loadPartners(examples, {}, { dataDir: '/srv/edi/data' });
    expect(result.errors).toEqual([]);
    expect([...result.partners.keys()].sort()).toEqual(['acme-sftp', 'bigbox-retail', 'globex-folder']);
    expect(result.gateway.us).toEqual({ isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' });

    const acme = result.partners.get('acme-sftp')!;
    expect(acme).toMatchObject({
      code: 'acme-sftp', name: 'ACME Retail', mode: 'production',
      identity: { isa: { qualifier: 'ZZ', id: 'ACMEBUYER' }, gs: 'ACMEBUYER' },
      us: { isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' },
      x12: { version: '004010', delimiters: { element: '*', component: '>', repetition: '^', segment: '~' }, lineBreak: true },
      documents: { inbound: ['850'], outbound: ['855', '856', '810'], rules: { '856': { hierarchy: 'SOPI', require: [{ text: 'TD5-03', segment: 'TD5', position: 3 }] } } },
      acknowledgments: { kind: '997', ta1: 'on-error', detail: 'errors-only', allowVariableIsa: false },
      maxFileBytes: 104857600,
    });
    const sftp = acme.transport as SftpTransport;
    expect(sftp).toMatchObject({
      type: 'sftp', host: 'sftp.acme.example', port: 22, username: 'ourcompany', insecureAcceptAnyHostKey: false,
      hostKey: 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc',
      inbound: { folder: '/outbox', patterns: ['*.edi', '*.x12', '*.txt'], pollSeconds: 60, stableSeconds: 5, doneMarker: false, archive: { action: 'move', folder: '/outbox/archive' } },
      outbound: { folder: '/inbox', fileName: '{partner}_{set}_{control}_{timestamp}.edi' },
    });
    expect(sftp.privateKey).toMatchObject({ source: 'file', ref: '/etc/edi/acme_ed25519' });
    expect(sftp.passphrase).toMatchObject({ source: 'env', ref: 'ACME_KEY_PASSPHRASE' });
    expect(sftp.password).toBeUndefined();

    const globex = result.partners.get('globex-folder')!;
    expect(globex).toMatchObject({ mode: 'test', maxFileBytes: 20971520, acknowledgments: { kind: '999', ta1: 'never', detail: 'all-sets', allowVariableIsa: true } });
    expect(globex.identity.isa).toEqual({ qualifier: '01', id: '123456789' });
    // Relative local folders resolve against the data dir.
    expect(globex.transport).toMatchObject({
      type: 'folder',
      inbound: { folder: '/srv/edi/data/as2/globex/in', archive: { action: 'move', folder: '/srv/edi/data/as2/globex/archive' } },
      outbound: { folder: '/srv/edi/data/as2/globex/out', fileName: 'globex_{set}_{control}_{uuid}.x12' },
    });
    expect((globex.transport as FolderTransport).type).toBe('folder');
  });

  it('are deep-frozen', async () => {
    const { partners } = await loadPartners(examples, {});
    const acme = partners.get('acme-sftp')!;
    expect(Object.isFrozen(acme)).toBe(true);
    expect(Object.isFrozen(acme.transport)).toBe(true);
    expect(Object.isFrozen(acme.documents.inbound)).toBe(true);
    expect(() => (acme.documents.inbound as string[]).push('810')).toThrow(TypeError);
    expect(Object.isFrozen((acme.transport as SftpTransport).passphrase)).toBe(true);
  });
});

describe('defaults', () => {
  it('built-in < _gateway.yaml defaults < the partner file; folders resolve against the data dir', async () => {
    const f = await partnersFolder({
      '_gateway.yaml': `${GATEWAY_YAML}  acknowledgments: { kind: '999', detail: errors-only }\n  maxFileBytes: 5000\n`,
      'a.yaml': folderYaml('AAA', 'a', `acknowledgments: { detail: all-sets }`),
      'README.md': '# ignored',
    });
    cleanups.push(f.remove);
    const { partners, errors } = await loadPartners(f.dir, {}, { dataDir: join(f.root, 'data') });
    expect(errors).toEqual([]);
    const a = partners.get('a')!;
    expect(a.acknowledgments).toEqual({ kind: '999', ta1: 'requested', detail: 'all-sets', allowVariableIsa: false, checkGroupIds: false, expectWithinHours: 24 });
    expect(a).toMatchObject({ name: 'a', mode: 'production', maxFileBytes: 5000, documents: { inbound: ['850', '856'], outbound: [] } });
    expect(a.transport.inbound).toMatchObject({
      folder: join(f.root, 'data', 'a', 'in'),
      patterns: ['*'],
      ignore: expect.arrayContaining(['*.part', '*.tmp', '.*']),
      archive: { action: 'move', folder: join(f.root, 'data', 'a', 'in', 'archive') },
    });
  });

  it('a partner file may name our ids itself (us:) instead of _gateway.yaml', async () => {
    const f = await partnersFolder({ 'b.yaml': folderYaml('BBB', 'b', `mode: test\nus: { isa: { qualifier: '01', id: '987654321' }, gs: OURS }`) });
    cleanups.push(f.remove);
    const { partners, errors } = await loadPartners(f.dir, {});
    expect(errors).toEqual([]);
    expect(partners.get('b')!.us).toEqual({ isa: { qualifier: '01', id: '987654321' }, gs: 'OURS' });
  });

  it('a missing partners folder is no partner at all, not an error', async () => {
    const result = await loadPartners('/nonexistent/partners', {});
    expect(result).toMatchObject({ errors: [], missing: true });
    expect(result.partners.size).toBe(0);
  });
});

describe('secrets', () => {
  it('are not enumerable: neither logging nor JSON shows where they come from or what they are', async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': sftpYaml() });
    cleanups.push(f.remove);
    const env = { ACME_PASSWORD: 's3cr3t-value' };
    const { partners, errors } = await loadPartners(f.dir, env);
    expect(errors).toEqual([]);
    const acme = partners.get('acme')!;
    const t = acme.transport as SftpTransport;
    expect(Object.keys(t)).not.toContain('password');
    expect(JSON.stringify(acme)).not.toContain('PASSWORD');
    expect(inspect(acme, { depth: 10 })).not.toContain('s3cr3t');
    expect(String(t.password)).toBe('[secret from environment variable ACME_PASSWORD]');
    expect(inspect(t.password)).not.toContain('s3cr3t');
    // Read when used: a value set after loading counts, and a trailing newline of a file is not part of it.
    expect(t.password!.reveal()).toBe('s3cr3t-value');
    env.ACME_PASSWORD = 'rotated';
    expect(t.password!.reveal()).toBe('rotated');
  });

  it('a missing environment variable is an error when the secret is used, naming the variable and the key', async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': sftpYaml() });
    cleanups.push(f.remove);
    const { partners } = await loadPartners(f.dir, {});
    const t = partners.get('acme')!.transport as SftpTransport;
    expect(() => t.password!.reveal()).toThrow(SecretError);
    expect(() => t.password!.reveal()).toThrow('partners/acme.yaml: transport.password: the environment variable ACME_PASSWORD is not set');
  });

  it('{ file } secrets are read from the file (relative to the partner file), an unreadable one names the file', async () => {
    const f = await partnersFolder({
      '_gateway.yaml': GATEWAY_YAML,
      'acme.yaml': sftpYaml('ACMEBUYER', 'acme').replace('password: { env: ACME_PASSWORD }', 'password: { file: secrets/acme.pw }\n  privateKey: { file: /nonexistent/key }'),
    });
    cleanups.push(f.remove);
    await (await import('node:fs/promises')).mkdir(join(f.dir, 'secrets'));
    await f.write('secrets/acme.pw', 'from-a-file\n');
    const { partners, errors } = await loadPartners(f.dir, {});
    expect(errors).toEqual([]);
    const t = partners.get('acme')!.transport as SftpTransport;
    expect(t.password!.reveal()).toBe('from-a-file');
    expect(() => t.privateKey!.revealBytes()).toThrow('partners/acme.yaml: transport.privateKey: cannot read the file /nonexistent/key (ENOENT)');
  });
});

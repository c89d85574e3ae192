// Test identities for the AS2 tests, made at test time by the openssl CLI (never committed), and a
// runner for `openssl cms`, the independent implementation our CMS must interoperate with.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyPair } from '../../../src/as2/cms/index.js';

export const OPENSSL = '/usr/bin/openssl';

/** Runs openssl with an argument array (no shell); stdout as bytes, throws with stderr on failure. */
export function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  return execFileSync(OPENSSL, args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** What openssl printed on stdout and stderr (some commands, pkcs12 -info, report on stderr). */
export function opensslReport(args: readonly string[]): string {
  const run = spawnSync(OPENSSL, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  return `${run.stdout}${run.stderr}`;
}

export interface TestIdentity {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  pair: KeyPair;
}

export interface TempDir {
  path: string;
  file(name: string, bytes?: Uint8Array | string): string;
  remove(): void;
}

export function tempDir(prefix = 'as2-cms-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name, bytes) {
      const p = join(path, name);
      if (bytes !== undefined) writeFileSync(p, bytes);
      return p;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A self-signed RSA certificate and its unencrypted PKCS#8 key, as a partner or we would have. */
export function makeIdentity(dir: TempDir, name: string, options: { bits?: number; subject?: string } = {}): TestIdentity {
  const certPath = dir.file(`${name}.crt`);
  const keyPath = dir.file(`${name}.key`);
  openssl([
    'req', '-x509', '-newkey', `rsa:${options.bits ?? 2048}`, '-nodes', '-keyout', keyPath, '-out', certPath,
    '-days', '2', '-subj', options.subject ?? `/CN=${name}/O=AS2 test`,
  ]);
  const certPem = readFileSync(certPath, 'utf8');
  const keyPem = readFileSync(keyPath, 'utf8');
  return { certPath, keyPath, certPem, keyPem, pair: { certificate: new X509Certificate(certPem), privateKey: createPrivateKey(keyPem) } };
}

/** A copy of `bytes` with one bit changed at `index` (a damaged or tampered message). */
export function flipBit(bytes: Uint8Array, index: number, mask = 0x01): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ mask;
  return copy;
}

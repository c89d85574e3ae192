// Certificates, keys and PKCS#12 files for the AS2 partner tests, made by the openssl CLI at test
// time (argument arrays, never a shell string) in the folder given; nothing is committed.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';

export interface Made {
  cert: string;
  key: string;
}

/** A self-signed RSA certificate with its key (PEM): `name.pem`, `name.key` in `dir`. */
export function makeCert(dir: string, name: string, o: { cn?: string; days?: number; passphrase?: string } = {}): Made {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  execFileSync(OPENSSL, [
    'req', '-x509', '-newkey', 'rsa:2048', '-keyout', key, '-out', cert, '-days', String(o.days ?? 365), '-subj', `/CN=${o.cn ?? name}/O=Test`,
    ...(o.passphrase ? ['-passout', `pass:${o.passphrase}`] : ['-nodes']),
  ], { stdio: 'ignore' });
  return { cert, key };
}

/** The certificate as DER (`name.der`). */
export function toDer(dir: string, made: Made, name: string): string {
  const der = join(dir, `${name}.der`);
  execFileSync(OPENSSL, ['x509', '-in', made.cert, '-outform', 'DER', '-out', der], { stdio: 'ignore' });
  return der;
}

/** A PKCS#12 of the key and certificate, OpenSSL 3's default encryption (`name.p12`). */
export function makeP12(dir: string, made: Made, name: string, password: string): string {
  const p12 = join(dir, `${name}.p12`);
  execFileSync(OPENSSL, ['pkcs12', '-export', '-in', made.cert, '-inkey', made.key, '-out', p12, '-passout', `pass:${password}`], { stdio: 'ignore' });
  return p12;
}

/** The serial number as X509Certificate prints it (upper-case hex). */
export function serialOf(cert: string): string {
  return execFileSync(OPENSSL, ['x509', '-in', cert, '-noout', '-serial'], { encoding: 'utf8' }).trim().replace(/^serial=/, '').toUpperCase();
}

/** notAfter as YYYY-MM-DD. */
export function notAfterOf(cert: string): string {
  const text = execFileSync(OPENSSL, ['x509', '-in', cert, '-noout', '-enddate'], { encoding: 'utf8' }).trim().replace(/^notAfter=/, '');
  return new Date(text).toISOString().slice(0, 10);
}

/** A gateway file with our AS2 identity over the X12 one of support.ts. */
export function gatewayAs2Yaml(base: string, as2: string): string {
  return `${base}as2:\n${as2.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
}

/** A valid AS2 partner file; `extra` lines go under transport:. */
export function as2Yaml(id: string, as2Id: string, transport: string, top = ''): string {
  return `
identity: { isa: { qualifier: ZZ, id: ${id} }, gs: ${id} }
documents: { inbound: ['850'], outbound: ['855'] }
${top}
transport:
  type: as2
  as2Id: ${as2Id}
${transport.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n')}
`;
}

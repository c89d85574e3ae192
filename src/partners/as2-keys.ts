// AS2 certificates and keys of the partner files: certificate files read at load (public, given to
// partners), private keys and PKCS#12 files read only when used (As2Identity.keyPair()), and the
// facts people check about a certificate (subject, serial, not-after, days left). Parsing is
// src/as2/cms's; here the sources are named in every message, never key material or a password.
import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkKeyPair, CmsError, loadCertificates, loadPkcs12, loadPrivateKey, type KeyPair } from '../as2/cms/index.js';
import type { Secret } from './types.js';

/** Reads a certificate file: its certificates, or why not (missing, unreadable, not a certificate). */
export function readCertificateFile(path: string): { certificates: X509Certificate[] } | { problem: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { problem: code === 'ENOENT' ? `no such file ${path}` : `cannot read ${path} (${code ?? 'error'})` };
  }
  try {
    return { certificates: loadCertificates(bytes) };
  } catch (error) {
    return { problem: `${path} is not a certificate: ${(error as Error).message}` };
  }
}

export interface KeySources {
  /** For messages: 'partners/_gateway.yaml: as2'. */
  where: string;
  certificates: readonly X509Certificate[];
  privateKey?: Secret;
  passphrase?: Secret;
  pkcs12?: Secret;
  password?: Secret;
}

/**
 * The key pair, read now. PEM form: the private key (with its passphrase) and the first certificate.
 * PKCS#12: opened with its password. Throws SecretError (a source unreadable) or CmsError
 * (AS2_KEY_UNUSABLE: not a key, wrong passphrase, not the certificate's key).
 */
export function readKeyPair(s: KeySources): KeyPair {
  if (s.pkcs12) return openPkcs12(s).keyPair;
  const { privateKey: source } = s;
  if (!source) throw new CmsError('key', `${s.where}: no privateKey (or pkcs12) is configured`);
  const certificate = s.certificates[0];
  if (!certificate) throw new CmsError('key', `${s.where}: no certificate is configured`);
  const pair = { certificate, privateKey: keyFrom(source, `${s.where}.privateKey`, () => loadPrivateKey(source.revealBytes(), s.passphrase?.reveal())) };
  try {
    checkKeyPair(pair);
  } catch {
    throw new CmsError('key', `${s.where}.privateKey: the key in the ${label(source)} does not belong to the certificate (${certificateName(certificate)})`);
  }
  return pair;
}

/** A PKCS#12 file opened with its password: the key pair and the other certificates it holds. */
export function openPkcs12(s: KeySources): { keyPair: KeyPair; chain: X509Certificate[] } {
  const { pkcs12, password } = s;
  if (!pkcs12 || !password) throw new CmsError('key', `${s.where}: pkcs12 needs its password`);
  return keyFrom(pkcs12, `${s.where}.pkcs12`, () => loadPkcs12(pkcs12.revealBytes(), password.reveal()));
}

/** Runs a key read; a CMS problem is said with the key's source (a SecretError passes: it names its source). */
function keyFrom<T>(source: Secret, where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CmsError)) throw error;
    throw new CmsError('key', `${where}: the ${label(source)}: ${error.message}`);
  }
}

function label(secret: Secret): string {
  return secret.source === 'env' ? `environment variable ${secret.ref}` : `file ${secret.ref}`;
}

/** 'CN=OURCO, serial 3A0F...' : how a certificate is named in names and messages. */
export function certificateName(certificate: X509Certificate): string {
  return `${subjectText(certificate.subject)}, serial ${certificate.serialNumber}`;
}

/** An X509Certificate subject ('C=US\nO=Big\nCN=x') on one line, most specific first like ssh and browsers show it. */
export function subjectText(subject: string): string {
  const parts = subject.split('\n').filter(Boolean);
  const cn = parts.filter((p) => p.startsWith('CN='));
  return [...cn, ...parts.filter((p) => !p.startsWith('CN='))].join(', ') || '(empty subject)';
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  serial: string;
  /** ISO 8601 instants. */
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  expired: boolean;
  /** SHA-256 fingerprint, colon-separated hex (as openssl x509 -fingerprint -sha256 prints it). */
  fingerprint: string;
}

const DAY_MS = 86_400_000;

/** What operators check about a certificate (edi partners check, the console). */
export function certificateFacts(certificate: X509Certificate, now: Date): CertificateFacts {
  const notAfter = new Date(certificate.validTo);
  const left = notAfter.getTime() - now.getTime();
  return {
    subject: subjectText(certificate.subject),
    issuer: subjectText(certificate.issuer),
    serial: certificate.serialNumber,
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor(left / DAY_MS),
    expired: left <= 0,
    fingerprint: certificate.fingerprint256,
  };
}

/** One line: 'CN=BIGBOX, serial 01AB, not after 2027-03-01 (450 days left)' or '... EXPIRED 3 days ago'. */
export function certificateLine(certificate: X509Certificate, now: Date): string {
  const f = certificateFacts(certificate, now);
  const when = f.expired ? `EXPIRED ${-f.daysLeft} day(s) ago` : `${f.daysLeft} day(s) left`;
  return `${f.subject}, serial ${f.serial}, not after ${f.notAfter.slice(0, 10)} (${when})`;
}

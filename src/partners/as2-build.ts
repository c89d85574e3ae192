// The AS2 parts of the partner files: our identity (partners/_gateway.yaml `as2:`, or a partner's
// transport.us) and a partner's `transport: { type: as2 }`, checked and built. Certificate files are
// read at load (a missing file or a non-certificate is a problem of the file); a private key or
// PKCS#12 is read at load only to check it, when it can be read here (else `edi partners check`
// reports it), and kept as Secrets. An expired certificate is a loud warning, never a load error:
// the partner must keep running while a new certificate is arranged.
import type { X509Certificate } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { MISSING, type KeyPath } from './config-error.js';
import { certificateName, openPkcs12, readCertificateFile, readKeyPair, type KeySources } from './as2-keys.js';
import { CmsError } from '../as2/cms/index.js';
import { BUILT_IN } from './defaults.js';
import { defined } from './defined.js';
import type { As2TransportFile, GatewayAs2File, SecretRef } from './schema.js';
import { makeSecret, SecretError, type Env } from './secrets.js';
import type { As2Identity, As2Transport, GatewayAs2, PartnerExpiry, Secret } from './types.js';

export type Problem = (path: KeyPath, expected: string, options?: { found?: unknown; hint?: string }) => void;

export interface As2Context {
  /** As shown in messages ('partners/bigbox.yaml'). */
  display: string;
  /** Relative certificate and key paths resolve against it (the partners folder). */
  baseDir: string;
  env: Env;
  now: Date;
  problem: Problem;
  /** A warning about the file (an expired certificate): logged loudly, printed by edi partners check. */
  warn: (path: KeyPath, message: string) => void;
}

type KeysFile = Pick<GatewayAs2File, 'certificate' | 'privateKey' | 'passphrase' | 'pkcs12' | 'password'>;
const SECRET_KEYS = ['privateKey', 'passphrase', 'pkcs12', 'password'] as const;

/** Whether a section gives key material of its own (then all of it must be there). */
function givesKeys(k: KeysFile): boolean {
  return Boolean(k.certificate || k.privateKey || k.pkcs12);
}

/** partners/_gateway.yaml `as2:` -> our AS2 identity (undefined when it has problems, reported). */
export function buildGatewayAs2(file: GatewayAs2File, ctx: As2Context): GatewayAs2 | undefined {
  const identity = identityOf(file, { id: file.id, ...(file.url ? { url: file.url } : {}) }, ['as2'], ctx);
  if (!identity) return undefined;
  return Object.assign(identity, { maxMessageBytes: file.maxMessageBytes ?? BUILT_IN.as2.maxMessageBytes });
}

/**
 * Our id, URL and keys: key material (certificate + privateKey, or pkcs12 + password) checked and
 * wrapped; `at` is the section's key path ('as2' or 'transport.us').
 */
export function identityOf(k: KeysFile, ids: { id: string; url?: string }, at: KeyPath, outer: As2Context): As2Identity | undefined {
  const { c: ctx, count } = tally(outer);
  const where = `${ctx.display}: ${at.join('.')}`;
  if (k.pkcs12 && (k.certificate || k.privateKey || k.passphrase)) {
    ctx.problem([...at, 'pkcs12'], 'either pkcs12 + password, or certificate + privateKey (+ passphrase), not both');
  } else if (k.pkcs12) {
    if (!('file' in k.pkcs12)) ctx.problem([...at, 'pkcs12'], '{ file: path }: a PKCS#12 file is binary, an environment variable cannot hold it');
    if (!k.password) ctx.problem([...at, 'password'], "the PKCS#12 file's password: { env: NAME } or { file: path }", { found: MISSING });
  } else {
    if (!k.certificate) ctx.problem([...at, 'certificate'], 'our certificate: { file: path } (PEM or DER), with privateKey; or pkcs12 + password instead', { found: MISSING });
    if (!k.privateKey) ctx.problem([...at, 'privateKey'], 'our private key: { file: path } or { env: NAME } (PEM or DER), with certificate; or pkcs12 + password instead', { found: MISSING });
    if (k.password) ctx.problem([...at, 'password'], 'a password only with pkcs12 (a PEM key takes passphrase)');
  }
  let certificates: X509Certificate[] = [];
  if (k.certificate) certificates = readCertificates(k.certificate.file, [...at, 'certificate', 'file'], ctx) ?? [];
  if (count()) return undefined;

  const secrets: Partial<Record<(typeof SECRET_KEYS)[number], Secret>> = {};
  for (const key of SECRET_KEYS) {
    const ref = k[key] as SecretRef | undefined;
    if (ref) secrets[key] = makeSecret(ref, { where: `${where}.${key}`, env: ctx.env, baseDir: ctx.baseDir });
  }
  const sources = (): KeySources => ({ where, certificates, ...secrets });
  // Checked now when it can be read here; a source that cannot be read is edi partners check's to report.
  try {
    if (secrets.pkcs12) {
      const opened = openPkcs12(sources());
      certificates = [opened.keyPair.certificate, ...opened.chain];
    } else {
      readKeyPair(sources());
    }
  } catch (error) {
    if (error instanceof CmsError) {
      const key = secrets.pkcs12 ? 'pkcs12' : 'privateKey';
      ctx.problem([...at, key], secrets.pkcs12 ? 'a PKCS#12 file that the password opens, holding our key and certificate' : `the private key of our certificate (${certificateName(certificates[0]!)})`, { hint: error.message.replace(`${where}.${key}: `, '') });
      return undefined;
    }
    if (!(error instanceof SecretError)) throw error;
    if (secrets.pkcs12) ctx.warn([...at, 'pkcs12'], `our certificate is not known until the PKCS#12 file can be opened: ${error.message}`);
  }
  const ours = certificates[0];
  if (ours) warnIfNotValid(ours, 'ours', [...at, k.pkcs12 ? 'pkcs12' : 'certificate'], ctx);

  // keyPair() reads the sources again: a PKCS#12's certificate comes from the file, with the key.
  return hiding({ id: ids.id, ...(ids.url ? { url: ids.url } : {}), certificates, where, form: secrets.pkcs12 ? 'pkcs12' : 'pem' }, { ...secrets, keyPair: () => readKeyPair(sources()) });
}

/** An identity whose secrets and keyPair are non-enumerable: logging or serializing it shows none of them. */
function hiding(shown: Omit<As2Identity, 'keyPair' | (typeof SECRET_KEYS)[number]>, hidden: Pick<As2Identity, 'keyPair' | (typeof SECRET_KEYS)[number]>): As2Identity {
  const identity = { ...shown };
  for (const [key, value] of Object.entries(hidden)) if (value) Object.defineProperty(identity, key, { value, enumerable: false });
  return identity as As2Identity;
}

/** A partner's `transport: { type: as2 }` built; our side from transport.us, else from _gateway.yaml. */
export function buildAs2Transport(
  t: As2TransportFile,
  outboundSets: readonly string[],
  gateway: { as2?: GatewayAs2; display: string },
  outer: As2Context,
): { transport?: As2Transport; expiries: PartnerExpiry[] } {
  const { c: ctx, count } = tally(outer);
  const files = Array.isArray(t.certificate) ? t.certificate : [t.certificate];
  const theirs: X509Certificate[] = [];
  files.forEach((c, i) => {
    const found = readCertificates(c.file, Array.isArray(t.certificate) ? ['transport', 'certificate', i, 'file'] : ['transport', 'certificate', 'file'], ctx);
    for (const cert of found ?? []) {
      warnIfNotValid(cert, 'theirs', ['transport', 'certificate'], ctx);
      theirs.push(cert);
    }
  });

  const us = t.us ?? {};
  const fallback = gateway.as2;
  let ourKeys: As2Identity | undefined;
  const id = us.id ?? fallback?.id;
  if (!id) {
    ctx.problem(['transport', 'us'], `our AS2 id and keys towards this partner, here (us: { id, certificate, privateKey }) or under as2: in ${gateway.display}`, { found: MISSING });
  } else if (givesKeys(us)) {
    // Our URL is the gateway's only for the gateway's own id (the URL ends in that id).
    const url = us.url ?? (id === fallback?.id ? fallback.url : undefined);
    ourKeys = identityOf(us, { id, ...(url ? { url } : {}) }, ['transport', 'us'], ctx);
  } else if (!fallback) {
    ctx.problem(['transport', 'us', 'certificate'], `our certificate and key towards this partner (certificate + privateKey, or pkcs12 + password), here or under as2: in ${gateway.display}`, { found: MISSING });
  } else {
    const url = us.url ?? (id === fallback.id ? fallback.url : undefined);
    // The gateway's keys, seen under this partner's id and URL.
    const { privateKey, passphrase, pkcs12, password, keyPair } = fallback;
    ourKeys = hiding(
      { id, ...(url ? { url } : {}), certificates: fallback.certificates, where: fallback.where, form: fallback.form },
      { keyPair, ...(privateKey ? { privateKey } : {}), ...(passphrase ? { passphrase } : {}), ...(pkcs12 ? { pkcs12 } : {}), ...(password ? { password } : {}) },
    );
  }

  const o = t.outbound ?? {};
  const outbound = { ...BUILT_IN.as2.outbound, ...defined(o), fileName: o.fileName ?? BUILT_IN.fileName };
  if (outboundSets.length && !t.url) {
    ctx.problem(['transport', 'url'], "the partner's AS2 URL, where we send to (documents.outbound lists sets to send)", { found: MISSING });
  }
  if (o.keyTransport && outbound.encrypt === 'none') ctx.problem(['transport', 'outbound', 'keyTransport'], 'no keyTransport with encrypt: none (it is how the content key is encrypted)');
  if (o.mdnSigned && outbound.mdn === 'none') ctx.problem(['transport', 'outbound', 'mdnSigned'], 'no mdnSigned with mdn: none (it asks for a signed receipt)');
  if (o.mdnWithinMinutes !== undefined && outbound.mdn !== 'async') ctx.problem(['transport', 'outbound', 'mdnWithinMinutes'], 'no mdnWithinMinutes unless mdn: async (a synchronous MDN comes in the same exchange)');
  if (outbound.mdn === 'async' && ourKeys && !ourKeys.url) {
    ctx.problem(['transport', 'us', 'url'], `our public AS2 URL, where the partner returns the asynchronous MDN (here, or url: under as2: in ${gateway.display})`, { found: MISSING });
  }
  if (count() || !ourKeys) return { expiries: [] };

  const transport: As2Transport = {
    type: 'as2',
    as2Id: t.as2Id,
    ...(t.url ? { url: t.url } : {}),
    certificates: theirs,
    ourKeys,
    inbound: { ...BUILT_IN.as2.inbound, ...defined(t.inbound) },
    outbound,
  };
  const expiries: PartnerExpiry[] = theirs.map((c) => ({ name: `transport.certificate (${certificateName(c)})`, expires: dayOf(c.validTo) }));
  const mine = ourKeys.certificates[0];
  if (mine) expiries.push({ name: `as2 certificate (ours, ${certificateName(mine)})`, expires: dayOf(mine.validTo) });
  return { transport, expiries };
}

function readCertificates(file: string, path: KeyPath, ctx: As2Context): X509Certificate[] | undefined {
  const read = readCertificateFile(isAbsolute(file) ? file : resolve(ctx.baseDir, file));
  if ('problem' in read) {
    ctx.problem(path, 'a certificate file (PEM or DER) the gateway can read', { hint: read.problem });
    return undefined;
  }
  return read.certificates;
}

/** An expired (or not yet valid) certificate: said loudly, the partner still loads. */
function warnIfNotValid(cert: X509Certificate, whose: 'ours' | 'theirs', path: KeyPath, ctx: As2Context): void {
  const name = certificateName(cert);
  if (Date.parse(cert.validTo) <= ctx.now.getTime()) {
    ctx.warn(path, whose === 'ours'
      ? `our certificate ${name} EXPIRED on ${dayOf(cert.validTo)}: partners may refuse what it signs; make a new one and give it to the partners now`
      : `the partner's certificate ${name} EXPIRED on ${dayOf(cert.validTo)}: ask the partner for their new one and add it to the file`);
  } else if (Date.parse(cert.validFrom) > ctx.now.getTime()) {
    ctx.warn(path, `${whose === 'ours' ? 'our' : "the partner's"} certificate ${name} is not valid before ${dayOf(cert.validFrom)}`);
  }
}

/** The context with its problems counted, to tell whether a step added any. */
function tally(ctx: As2Context): { c: As2Context; count(): number } {
  let n = 0;
  return { c: { ...ctx, problem: (...args) => { n++; ctx.problem(...args); } }, count: () => n };
}

/** A certificate date ('Mar  1 12:00:00 2027 GMT') as YYYY-MM-DD (UTC). */
export function dayOf(x509Date: string): string {
  return new Date(x509Date).toISOString().slice(0, 10);
}

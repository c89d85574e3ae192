// What `edi partners check` shows of an AS2 partner before it goes live: the partner's
// certificates and ours (subject, serial, not-after, days left, EXPIRED), whether our private key
// belongs to our certificate (read now; messages name the source, never the key), and the URLs:
// theirs, where we send, and ours, to give to the partner with our AS2 id and certificate.
import type { X509Certificate } from 'node:crypto';
import { certificateLine } from '../partners/as2-keys.js';
import { dayOf } from '../partners/as2-build.js';
import { daysUntil } from '../partners/expiry.js';
import { SecretError } from '../partners/secrets.js';
import type { As2Transport, Partner } from '../partners/types.js';
import { isGatewayError } from '../errors/failure.js';

export interface As2Step {
  what: string;
  ok: boolean;
  detail: string;
  /** What failed: a certificate (expired), or our key (unreadable, or not our certificate's). */
  kind?: 'certificate' | 'key';
  /** A certificate still valid but within `warnDays` of its expiry: fine today, to renew now. */
  soon?: true;
}

/**
 * The AS2 facts of a partner, each with whether it is fine. `keys: false`: our key is not read (a
 * machine without the secrets). `warnDays`: a certificate that many days or fewer from its expiry is
 * marked `soon` (the expiring alert's threshold for the partner, so both say the same).
 */
export function as2Steps(partner: Partner, now: Date, options: { keys?: boolean; warnDays?: number } = {}): As2Step[] {
  const t = partner.transport;
  if (t.type !== 'as2') return [];
  const steps: As2Step[] = [];
  const cert = (what: string, c: As2Transport['certificates'][number]): As2Step => {
    const expired = new Date(c.validTo).getTime() <= now.getTime();
    return { what, ok: !expired, detail: certificateLine(c, now), ...(expired ? { kind: 'certificate' as const } : {}), ...(expiresSoon(c, now, options.warnDays) ? { soon: true as const } : {}) };
  };
  t.certificates.forEach((c, i) => steps.push(cert(t.certificates.length > 1 ? `their certificate ${i + 1}` : 'their certificate', c)));
  const ours = t.ourKeys.certificates[0];
  if (ours) steps.push(cert('our certificate', ours));
  if (options.keys !== false) steps.push(keyStep(t));
  steps.push({ what: 'their AS2 URL', ok: true, detail: t.url ? `${t.url} (we send as ${t.ourKeys.id} to ${t.as2Id})` : 'none (nothing is sent to them: documents.outbound is empty)' });
  steps.push({ what: 'our AS2 URL', ok: true, detail: t.ourKeys.url ? `${t.ourKeys.url}: give it to the partner with our AS2 id ${t.ourKeys.id} and our certificate` : `not configured (give the partner our AS2 id ${t.ourKeys.id} and the URL of POST /as2/${encodeURIComponent(t.ourKeys.id)} on this gateway)` });
  return steps;
}

/** Still valid, and `warnDays` or fewer days from its expiry (counted as the expiring alert counts). */
export function expiresSoon(c: X509Certificate, now: Date, warnDays: number | undefined): boolean {
  return warnDays !== undefined && new Date(c.validTo).getTime() > now.getTime() && daysUntil(dayOf(c.validTo), now) <= warnDays;
}

/** Our key read now and matched against our certificate. */
function keyStep(t: As2Transport): As2Step {
  try {
    const pair = t.ourKeys.keyPair();
    const source = t.ourKeys.pkcs12 ?? t.ourKeys.privateKey;
    return { what: 'our key', ok: true, detail: `belongs to our certificate (${source ? `${source.source === 'env' ? 'environment variable' : 'file'} ${source.ref}` : t.ourKeys.where}, ${pair.privateKey.asymmetricKeyType ?? 'key'})` };
  } catch (error) {
    // SecretError and the key errors name the source, never a value.
    const message = error instanceof SecretError || isGatewayError(error) ? error.message : String(error);
    return { what: 'our key', ok: false, detail: message, kind: 'key' };
  }
}

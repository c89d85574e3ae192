// The partners as loaded from partners/*.yaml: ids, documents each way, acknowledgments, transport
// and mailboxes, with each secret shown only as where it is read from (an environment variable or a
// file), never its value; and the last polls and deliveries.
import type { X509Certificate } from 'node:crypto';
import { certificateFacts } from '../../partners/as2-keys.js';
import { expiringWarnDays, type AlertSettings } from '../../alerts/config.js';
import { expiresSoon } from '../../transports/as2-check.js';
import type { As2Transport, BrokenPartner, Partner, Secret } from '../../partners/types.js';
import type { PartnerHealthRecord } from '../../store/index.js';
import { html, query, type Html } from './html.js';
import { when } from './layout.js';

/** Where a secret comes from, never what it is. */
function secretSource(s: Secret | undefined): string {
  if (!s) return '';
  return s.source === 'env' ? `environment variable ${s.ref}` : `file ${s.ref}`;
}

function transportFacts(p: Partner, now: Date, warnDays: number | undefined): Html {
  const t = p.transport;
  if (t.type === 'as2') return as2Facts(p.code, t, now, warnDays);
  const mailbox = (label: string, folder: string | undefined, extra: string) => folder ? html`<dt>${label}</dt><dd>${folder}${extra ? html` <span class="muted">${extra}</span>` : ''}</dd>` : '';
  return html`<dt>Transport</dt><dd>${t.type === 'sftp' ? `SFTP ${t.username}@${t.host}:${t.port}${t.hostKey ? `, host key ${t.hostKey}` : t.insecureAcceptAnyHostKey ? ', ANY host key accepted' : ''}` : 'folder'}</dd>
${t.type === 'sftp' ? [['password', t.password], ['private key', t.privateKey], ['passphrase', t.passphrase]].filter(([, s]) => s).map(([name, s]) => html`<dt>${name as string}</dt><dd>from ${secretSource(s as Secret)} <span class="muted">(value not shown)</span></dd>`) : ''}
${mailbox('Files taken from', t.inbound?.folder, t.inbound ? `${t.inbound.patterns.join(' ')}, every ${t.inbound.pollSeconds} s, stable after ${t.inbound.stableSeconds} s, then ${t.inbound.archive.action}` : '')}
${mailbox('Files put into', t.outbound?.folder, t.outbound ? `named ${t.outbound.fileName}` : '')}`;
}

/** One certificate: subject, serial, not-after and days left; EXPIRED loudly, SOON within the expiring alert's days. */
function certificateFact(label: string, c: X509Certificate, now: Date, warnDays: number | undefined): Html {
  const f = certificateFacts(c, now);
  const left = expiresSoon(c, now, warnDays) ? html`<strong class="problem">SOON: ${f.daysLeft} day(s) left, arrange the renewal</strong>` : html`<span class="muted">(${f.daysLeft} day(s) left)</span>`;
  return html`<dt>${label}</dt><dd>${f.subject}, serial ${f.serial}, not after ${f.notAfter.slice(0, 10)} ${f.expired ? html`<strong class="problem">EXPIRED ${-f.daysLeft} day(s) ago</strong>` : left}</dd>`;
}

/** An AS2 partner: ids and URLs, their certificates and ours with expiry, our keys' sources, and what to give the partner. */
function as2Facts(code: string, t: As2Transport, now: Date, warnDays: number | undefined): Html {
  const o = t.outbound;
  const keys = t.ourKeys;
  const ours = keys.certificates[0];
  const sources: Array<[string, Secret | undefined]> = [['our private key', keys.privateKey], ['its passphrase', keys.passphrase], ['our PKCS#12', keys.pkcs12], ['its password', keys.password]];
  return html`<dt>Transport</dt><dd>AS2: their id ${t.as2Id}, ours ${keys.id}${t.url ? `; we send to ${t.url}` : '; nothing is sent to them'}</dd>
<dt>Sending</dt><dd>${o.sign === 'none' ? 'unsigned' : `signed ${o.sign}`}, ${o.encrypt === 'none' ? 'unencrypted' : `encrypted ${o.encrypt} (${o.keyTransport})`}${o.compress ? ', compressed' : ''}; MDN ${o.mdn}${o.mdn !== 'none' ? (o.mdnSigned === 'none' ? ', unsigned' : `, signed ${o.mdnSigned}`) : ''}</dd>
<dt>Receiving</dt><dd>${t.inbound.requireSigned ? 'signature required' : 'signature optional'}, ${t.inbound.requireEncrypted ? 'encryption required' : 'encryption optional'}</dd>
${t.certificates.map((c, i) => certificateFact(t.certificates.length > 1 ? `Their certificate ${i + 1}` : 'Their certificate', c, now, warnDays))}
${ours ? certificateFact('Our certificate', ours, now, warnDays) : html`<dt>Our certificate</dt><dd class="muted">not known until the PKCS#12 file can be opened</dd>`}
${sources.filter(([, s]) => s).map(([name, s]) => html`<dt>${name}</dt><dd>from ${secretSource(s)} <span class="muted">(value not shown)</span></dd>`)}
<dt>AS2 messages</dt><dd><a href="/as2-messages${query({ partner: code })}">received from and sent to ${code}</a></dd>
<dt>Give the partner</dt><dd>our AS2 id <strong>${keys.id}</strong>, our URL ${keys.url ?? html`<span class="muted">(not configured: as2.url in _gateway.yaml)</span>`}${ours ? html`, and our certificate:<details><summary>certificate (PEM)</summary><pre>${ours.toString()}</pre></details>` : ''}</dd>`;
}

/** Partners whose file has a problem: out of service (or on their previous settings) until it is fixed. */
export function brokenPartnersSection(broken: readonly BrokenPartner[]): Html | '' {
  if (!broken.length) return '';
  return html`<section class="box problem" aria-label="Partners out of service"><h2 style="margin-top:0">Out of service: ${broken.length} partner file${broken.length === 1 ? '' : 's'} with a problem</h2>
${broken.map((b) => html`<p><strong>${b.code}</strong> (${b.display})${b.previousInForce ? ' runs on its previous settings until the file is fixed' : ' receives and sends nothing until the file is fixed'}:</p>
<ul>${b.errors.map((e) => html`<li>${e.message}</li>`)}</ul>`)}
<p class="muted">Fix the file: the gateway reloads it and the partner is back (edi partners check lists every problem).</p></section>`;
}

/** `gatewayRules`: partners/_gateway.yaml alerts.rules, for when a certificate counts as expiring soon. */
export function partnersContent(partners: readonly Partner[], health: readonly PartnerHealthRecord[], broken: readonly BrokenPartner[] = [], now = new Date(), gatewayRules?: AlertSettings['rules']): Html {
  if (!partners.length && !broken.length) return html`<h1>Partners</h1><p class="muted">No partner file is loaded (partners/*.yaml).</p>`;
  return html`<h1>Partners (${partners.length})</h1>
${brokenPartnersSection(broken)}
${partners.map((p) => {
  const polls = health.filter((h) => h.partner === p.code);
  return html`<section class="box" id="partner-${p.code}">
  <h2 style="margin-top:0">${p.name} <span class="muted">${p.code}${p.enabled === false ? ', disabled' : ''}, ${p.mode}</span></h2>
  <dl class="facts">
    <dt>Partner file</dt><dd>${p.file}</dd>
    <dt>Their ids</dt><dd>ISA ${p.identity.isa.qualifier}:${p.identity.isa.id}, GS ${p.identity.gs}</dd>
    <dt>Our ids</dt><dd>ISA ${p.us.isa.qualifier}:${p.us.isa.id}, GS ${p.us.gs}</dd>
    <dt>Documents</dt><dd>from them: ${p.documents.inbound.join(', ') || 'none'}; to them: ${p.documents.outbound.join(', ') || 'none'}</dd>
    <dt>X12</dt><dd>${p.x12.version}, delimiters ${p.x12.delimiters.element} ${p.x12.delimiters.component} ${p.x12.delimiters.repetition} ${p.x12.delimiters.segment}</dd>
    <dt>Acknowledgments</dt><dd>${p.acknowledgments.kind}, TA1 ${p.acknowledgments.ta1}, ${p.acknowledgments.detail}</dd>
    ${transportFacts(p, now, expiringWarnDays(gatewayRules, p))}
    ${polls.map((h) => html`<dt>Last ${h.transport}</dt><dd>${h.lastSuccess ? `success ${when(h.lastSuccess)}` : 'no success yet'}${h.lastError ? `; last error ${when(h.lastErrorAt)}: ${h.lastError}` : ''}${h.consecutiveFailures ? ` (${h.consecutiveFailures} failures in a row)` : ''}</dd>`)}
  </dl>
</section>`;
})}`;
}

// The AS2 outbound channel: a delivery entry sent as one AS2 message to the partner's URL, packed as
// its partner file says (compressed, signed, encrypted), with the MDN it asks for.
// - The message is recorded (Message-ID, MIC, bytes) before the POST, and every try of one entry
//   goes under the same Message-ID: the partner's server takes it once however often we must try
//   (a lost answer, a crash after the POST). A new entry (edi resend), or a try after the partner
//   refused the last one, gets a new Message-ID.
// - Synchronous MDN: read from the POST's answer, checked (signature, disposition, MIC) and recorded;
//   a refusal throws AS2_MDN_NEGATIVE / AS2_MIC_MISMATCH, which fail the entry at once.
// - Asynchronous MDN: the entry is sent once the partner's server answered 2xx; the message waits for
//   its MDN (src/http/as2.ts) until mdnWithinMinutes, then mdn-overdue (src/jobs/as2-mdn.ts). A
//   refusal that came before the POST's answer fails the entry here (nothing was sent to fail yet).
import { as2Headers, judgeMdn, newMessageId, packMessage, parseMdn, type KeyPair } from '../../as2/index.js';
import { GatewayError, messageOf } from '../../errors/failure.js';
import type { Logger } from '../../logging/logger.js';
import type { As2Transport, Partner } from '../../partners/types.js';
import { awaitAs2Mdn, findAs2Message, insertOutboundAs2Message, latestOutboundAs2, recordOutboundMdn, type As2MessageRecord } from '../../store/as2-repo.js';
import { withTransaction } from '../../store/conn.js';
import type { Database } from '../../store/database.js';
import type { OutboundChannel, OutboundFile } from '../outbound-channel.js';
import { postAs2, safeUrl } from './http-post.js';
import { recordMdn } from './mdn-record.js';
import { messageIdDomain } from './message-id-domain.js';

export type As2Partner = Partner & { readonly transport: As2Transport };

export interface As2ChannelDeps {
  db: Database;
  log: Logger;
}

/** States of an earlier message of the same entry under which a try goes again with its Message-ID. */
const UNFINISHED = new Set(['sending']);
/** States in which the partner's server took the earlier message: a resumed try finds it delivered. */
const TAKEN = new Set(['delivered', 'awaiting-mdn', 'mdn-overdue']);

export function as2Channel(partner: As2Partner, deps: As2ChannelDeps): OutboundChannel {
  const t = partner.transport;
  const describe = `as2 ${t.url ? safeUrl(t.url) : '(no transport.url)'} (AS2-To ${t.as2Id})`;
  return {
    describe,
    fileNamePattern: t.outbound.fileName,
    deliver: (file) => send(partner, file, describe, deps),
  };
}

async function send(partner: As2Partner, file: OutboundFile, describe: string, deps: As2ChannelDeps): Promise<{ name: string; path: string; alreadyThere?: boolean }> {
  const { db } = deps;
  const t = partner.transport;
  const o = t.outbound;
  const ours = t.ourKeys;
  if (!t.url) throw new GatewayError('AS2_SEND_FAILED', `partner ${partner.code} has no transport.url to send AS2 messages to`, { partner: partner.code });
  if (o.mdn === 'async' && !ours.url) {
    throw new GatewayError('AS2_SEND_FAILED', `an asynchronous MDN needs our public URL (as2.url in partners/_gateway.yaml, or transport.us.url in ${partner.code}.yaml)`, { partner: partner.code });
  }
  const previous = await latestOutboundAs2(db, file.entryId);
  if (previous && TAKEN.has(previous.state) && file.resume) {
    return { name: file.name, path: pathOf(t.url, previous.messageId), alreadyThere: true };
  }
  const messageId = previous && UNFINISHED.has(previous.state) ? previous.messageId : newMessageId(messageIdDomain(ours.url));
  const keyPair: KeyPair | undefined = o.sign !== 'none' ? ours.keyPair() : undefined;
  // The receiver computes the MIC with the algorithm a signed receipt asks for, else with the signature's.
  const micDigest = o.mdn !== 'none' && o.mdnSigned !== 'none' ? o.mdnSigned : o.sign !== 'none' ? o.sign : 'sha256';
  const packed = packMessage(file.bytes, {
    fileName: file.name,
    compress: o.compress,
    ...(keyPair && o.sign !== 'none' ? { sign: { keyPair, digest: o.sign } } : {}),
    ...(o.encrypt !== 'none' ? { encrypt: { certificate: t.certificates[0]!, cipher: o.encrypt, keyTransport: o.keyTransport } } : {}),
    micAlgorithm: micDigest,
  });
  const headers = {
    ...as2Headers({
      from: ours.id, to: t.as2Id, messageId, subject: `${file.kind} ${file.name}`,
      ...(o.mdn === 'sync' ? { mdn: { mode: 'sync' as const } } : o.mdn === 'async' ? { mdn: { mode: 'async' as const, url: ours.url! } } : {}),
      ...(o.mdn !== 'none' && o.mdnSigned !== 'none' ? { mdnSigned: o.mdnSigned } : {}),
    }),
    'Content-Type': packed.contentType,
  };
  const message = await insertOutboundAs2Message(db, {
    partner: partner.code, from: ours.id, to: t.as2Id, messageId, outboundId: file.entryId,
    headers, body: packed.body, mic: packed.mic, mdnMode: o.mdn,
  });
  const answer = await postAs2(t.url, headers, packed.body, { timeoutMs: o.timeoutSeconds * 1000 });
  if (answer.status < 200 || answer.status > 299) {
    const text = answer.body.toString('utf8', 0, Math.min(answer.body.length, 200)).replace(/\s+/g, ' ').trim();
    throw new GatewayError('AS2_SEND_FAILED', `${safeUrl(t.url)} answered HTTP ${answer.status}${text ? `: ${text}` : ''}`, { status: answer.status, messageId });
  }
  const path = pathOf(t.url, messageId);
  if (o.mdn === 'async') {
    // Not 'sending' any more: the partner's MDN came before its server answered the POST, and stands.
    if (!(await awaitAs2Mdn(db, message.id, o.mdnWithinMinutes * 60))) await refusedEarly(db, message, t);
    return { name: file.name, path };
  }
  if (o.mdn === 'none') {
    await recordOutboundMdn(db, { id: message.id, state: 'delivered' });
    return { name: file.name, path };
  }
  const contentType = answer.headers['content-type'];
  if (!contentType || answer.body.length === 0) {
    throw new GatewayError('AS2_SEND_FAILED', `${safeUrl(t.url)} answered HTTP ${answer.status} without the synchronous MDN asked for`, { status: answer.status, messageId });
  }
  let parsed;
  try {
    parsed = parseMdn(contentType, answer.body, { partnerCertificates: t.certificates });
    // A receipt for another message (a resend of the same bytes has the same MIC) proves nothing about this one.
    if (bare(parsed.originalMessageId) !== bare(messageId)) {
      throw new GatewayError('AS2_MDN_MALFORMED', `MDN: the synchronous MDN answers Message-ID ${parsed.originalMessageId.slice(0, 200)}, not ${messageId}`, { messageId });
    }
  } catch (error) {
    // An MDN we cannot read or trust proves nothing: recorded, and the entry fails with why.
    await recordOutboundMdn(db, { id: message.id, state: 'mdn-error', reason: messageOf(error), mdn: { contentType, body: answer.body, disposition: '' } });
    throw error;
  }
  const outcome = await withTransaction(db, (tx) => recordMdn(tx, message, { parsed, contentType, body: answer.body }, { async: false, micRequired: o.mdnSigned !== 'none' }));
  if (!outcome.ok) throw new GatewayError(outcome.code, outcome.reason, { messageId, partner: partner.code });
  deps.log.debug({ partner: partner.code, messageId, outbound: file.entryId }, outcome.summary);
  return { name: file.name, path: `${path}, ${outcome.summary}` };
}

/** An asynchronous MDN recorded before the POST's answer: a refusal fails the entry now (recordMdn could not, it was not sent yet). */
async function refusedEarly(db: Database, message: As2MessageRecord, t: As2Transport): Promise<void> {
  const now = await findAs2Message(db, { direction: 'out', from: message.from, to: message.to, messageId: message.messageId });
  if (now?.state !== 'mdn-error' || !now.mdn) return;
  const outcome = judgeMdn(parseMdn(now.mdn.contentType, now.mdn.body, { partnerCertificates: t.certificates }), message.mic!, t.outbound.mdnSigned !== 'none');
  if (!outcome.ok) throw new GatewayError(outcome.code, outcome.reason, { messageId: message.messageId, partner: message.partner });
}

const bare = (id: string) => id.trim().replace(/^<|>$/g, '');

function pathOf(url: string, messageId: string): string {
  return `${safeUrl(url)} Message-ID ${messageId}`;
}


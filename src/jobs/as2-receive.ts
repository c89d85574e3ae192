// Receiving AS2 (RFC 4130): what POST /as2/<our id> hands over (src/http/as2.ts). The whole message
// and what became of it are committed before anything is answered:
// - a message we can open goes through the same intake as any file (channel 'as2'), its row
//   (headers, body, MIC, the MDN answered) in intake's transaction, so the payload, the raw message
//   and the MDN commit together; a database that fails answers 503, nothing is kept, and the
//   partner's retry finds nothing half done;
// - a message we cannot open (unknown sender, bad signature, cannot decrypt, insufficient security)
//   is kept as rejected, with an event saying why, and answered with the MDN disposition RFC 4130
//   names for it;
// - a Message-ID already received from this sender is never processed again: the original MDN is
//   answered again (sent again, when it went asynchronously);
// - an MDN POSTed to us is the asynchronous receipt of a message we sent (src/transports/as2).
import {
  as2Headers, buildMdn, firstSupported, isAs2MessageError, mime, newMessageId, parseDispositionNotificationOptions, parseMdn,
  readAs2Id, unpackMessage, type DispositionModifier, type KeyPair, type MdnDisposition, type Mic,
} from '../as2/index.js';
import type { ErrorCode } from '../errors/catalog.js';
import { GatewayError, codeField, isGatewayError, messageOf } from '../errors/failure.js';
import type { Logger } from '../logging/logger.js';
import type { As2Identity, Partner, PartnerDirectory } from '../partners/types.js';
import { addEvent } from '../store/events-repo.js';
import { findAs2Message, insertInboundAs2Message, requeueAsyncMdn, type As2MessageRecord } from '../store/as2-repo.js';
import { withTransaction } from '../store/conn.js';
import type { Database } from '../store/database.js';
import { recordMdn } from '../transports/as2/mdn-record.js';
import type { IntakeInput, IntakeResult } from './intake.js';
import { messageIdDomain } from '../transports/as2/message-id-domain.js';

export interface As2ReceiveDeps {
  db: Database;
  partners: PartnerDirectory;
  intake: (input: IntakeInput) => Promise<IntakeResult>;
  log: Logger;
  /** An asynchronous MDN was queued: the MDN loop may send it now. */
  mdnQueued?: () => void;
}

export interface As2HttpRequest {
  /** The id of the URL (/as2/<id>). */
  ourId: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface As2HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

const SOFTWARE = 'edi-gateway';
/** Request headers never kept (credentials a partner's software may add). */
const NOT_KEPT = new Set(['authorization', 'proxy-authorization', 'cookie']);

export async function receiveAs2(deps: As2ReceiveDeps, request: As2HttpRequest): Promise<As2HttpReply> {
  const h = request.headers;
  let from: string;
  let to: string;
  try {
    from = readAs2Id(required(h, 'as2-from'));
    to = readAs2Id(required(h, 'as2-to'));
  } catch (error) {
    return refuse(400, error);
  }
  const messageId = h['message-id']?.trim();
  const contentType = h['content-type']?.trim();
  if (!messageId || !/^<?[^<>\s]{1,900}>?$/.test(messageId)) return refuse(400, new GatewayError('AS2_REQUEST_INVALID', 'Message-ID is missing or not a message id', {}));
  if (!contentType) return refuse(400, new GatewayError('AS2_REQUEST_INVALID', 'Content-Type is missing', {}));
  if (to !== request.ourId) {
    return refuse(400, new GatewayError('AS2_REQUEST_INVALID', `AS2-To ${JSON.stringify(to)} is not the AS2 id of this URL (${JSON.stringify(request.ourId)})`, {}));
  }
  if (isMdnMessage(contentType, request.body)) return receiveMdn(deps, { from, to, contentType, body: request.body });

  const seen = await findAs2Message(deps.db, { direction: 'in', from, to, messageId });
  if (seen) return answerAgain(deps, seen);

  const partner = deps.partners.byAs2(from, to);
  const identity = partner?.transport.type === 'as2' ? partner.transport.ourKeys : deps.partners.gateway().as2;
  const options = parseDispositionNotificationOptions(h['disposition-notification-options']);
  const mdnWanted = h['disposition-notification-to'] !== undefined;
  const asyncUrl = h['receipt-delivery-option']?.trim();
  const mdnMode = !mdnWanted ? 'none' : asyncUrl ? 'async' : 'sync';
  const kept = Object.fromEntries(Object.entries(h).filter(([name, v]) => v !== undefined && !NOT_KEPT.has(name))) as Record<string, string>;
  const where = { from, to, messageId, ...(partner ? { partner: partner.code } : {}) };

  // Read at most once per message: decrypting and signing the MDN use the same key (a PKCS#12 costs a key derivation).
  const ourKey = identity ? readOnce(() => identity.keyPair()) : undefined;
  const opened = open(partner, identity, ourKey, contentType, request.body, options.micAlgorithms, h['content-transfer-encoding']);
  if ('unavailable' in opened) {
    deps.log.error({ ...where, error: opened.unavailable }, 'an AS2 message cannot be opened without our key; answered 503 so the partner sends it again');
    return { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '300' }, body: 'the message cannot be processed now; send it again later\n' };
  }
  const mdn = mdnWanted ? buildReceipt(identity, ourKey, options, { from, to, messageId }, opened) : undefined;
  if (mdnMode === 'async' && !/^https?:\/\//i.test(asyncUrl ?? '')) {
    deps.log.warn(where, 'the asynchronous MDN URL is not http(s); no MDN is sent');
  }
  const row = {
    partner: partner?.code ?? null, from, to, messageId, headers: kept, body: request.body, mdnMode,
    mdnUrl: mdnMode === 'async' ? asyncUrl ?? null : null,
    mdn: mdn && (mdnMode !== 'async' || /^https?:\/\//i.test(asyncUrl ?? '')) ? { contentType: mdn.contentType, body: mdn.body, disposition: mdn.disposition } : null,
  } as const;

  try {
    if ('failure' in opened) {
      const failure = opened.failure;
      await withTransaction(deps.db, async (tx) => {
        const stored = await insertInboundAs2Message(tx, { ...row, state: 'rejected', reason: failure.message });
        if (!stored) throw new AlreadyReceived();
        await addEvent(tx, {
          fileId: null, stage: 'as2', actor: 'system', toState: 'rejected',
          message: `AS2 message ${messageId} from ${from}${partner ? ` (${partner.code})` : ''} rejected: ${failure.message} [${failure.code}]; the MDN says ${failure.modifier}`,
          details: { as2MessageId: stored.id, ...where, code: failure.code, modifier: failure.modifier },
        });
      });
      deps.log.warn({ ...where, code: failure.code, modifier: failure.modifier, error: failure.message }, 'AS2 message rejected');
    } else {
      const { payload } = opened;
      // Without a file name, the Message-ID names it: its slashes are no path either.
      await deps.intake({
        partner: partner!.code, channel: 'as2', sourceName: payload.fileName ?? `AS2 ${messageId.replace(/[\\/]/g, '_')}`, bytes: payload.payload,
        metadata: { as2: { messageId, from, to, signed: payload.signed?.digest ?? null, encrypted: payload.encrypted?.cipher ?? null, compressed: payload.compressed, mic: payload.mic.value } },
        inTransaction: async (tx, result) => {
          const stored = await insertInboundAs2Message(tx, { ...row, state: 'processed', fileId: result.fileId, mic: payload.mic });
          if (!stored) throw new AlreadyReceived();
        },
      });
    }
  } catch (error) {
    if (causedBy(error, AlreadyReceived)) {
      // The same message twice at once: the other request committed it.
      const first = await findAs2Message(deps.db, { direction: 'in', from, to, messageId });
      if (first) return answerAgain(deps, first);
    }
    deps.log.error({ ...where, error: messageOf(error), ...codeField(error) }, 'an AS2 message could not be stored; answered 503 so the partner sends it again');
    return { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60' }, body: 'the message could not be stored; send it again later\n' };
  }
  if (row.mdn && mdnMode === 'async') deps.mdnQueued?.();
  if (mdn && mdnMode === 'sync') return { status: 200, headers: mdn.headers, body: mdn.body };
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'failure' in opened ? `not processed: ${opened.failure.modifier}\n` : 'processed\n' };
}

interface Failure {
  code: ErrorCode;
  modifier: DispositionModifier;
  message: string;
}

type Opened = { payload: ReturnType<typeof unpackMessage> } | { failure: Failure } | { unavailable: string };

/** Unpacks with the partner's certificates and our key; any failure as the disposition it gets. */
function open(partner: Partner | undefined, identity: As2Identity | undefined, ourKey: (() => KeyPair) | undefined, contentType: string, body: Buffer, micAlgorithms: readonly string[], cte: string | undefined): Opened {
  if (!partner || partner.transport.type !== 'as2') {
    return { failure: { code: 'AS2_PARTNER_UNKNOWN', modifier: 'authentication-failed', message: 'no partner file names this AS2-From / AS2-To pair' } };
  }
  if (partner.enabled === false) {
    return { failure: { code: 'AS2_PARTNER_UNKNOWN', modifier: 'authentication-failed', message: `partner ${partner.code} is disabled (enabled: false)` } };
  }
  const t = partner.transport;
  let ourKeys: KeyPair[] = [];
  try {
    ourKeys = ourKey ? [ourKey()] : [];
  } catch (error) {
    // Our own key cannot be read (a file or variable missing here): not the partner's fault, and an
    // encrypted message cannot be opened without it. Kept by the partner, who sends it again (503).
    if (/pkcs7-mime/i.test(contentType)) return { unavailable: `our AS2 key (${identity!.where}) cannot be read: ${messageOf(error)}` };
  }
  try {
    const payload = unpackMessage(contentType, body, {
      ourKeys, partnerCertificates: t.certificates, micAlgorithms,
      requireSigned: t.inbound.requireSigned, requireEncrypted: t.inbound.requireEncrypted,
      ...(cte ? { contentTransferEncoding: cte } : {}),
    });
    return { payload };
  } catch (error) {
    const modifier: DispositionModifier = isAs2MessageError(error) ? error.modifier : 'unexpected-processing-error';
    const code: ErrorCode = isGatewayError(error) ? error.code : 'AS2_MESSAGE_UNEXPECTED';
    return { failure: { code, modifier, message: messageOf(error) } };
  }
}

/** Our MDN for it: processed with the MIC, or failed/error with the modifier; signed when asked and we have a key. */
function buildReceipt(
  identity: As2Identity | undefined,
  ourKey: (() => KeyPair) | undefined,
  options: { signedReceipt: boolean; micAlgorithms: string[] },
  ids: { from: string; to: string; messageId: string },
  opened: Opened,
): { contentType: string; body: Uint8Array; disposition: string; headers: Record<string, string> } {
  const disposition: MdnDisposition = 'failure' in opened ? { type: 'processed', modifier: 'error', text: opened.failure.modifier } : { type: 'processed' };
  const mic: Mic | undefined = 'payload' in opened ? opened.payload.mic : undefined;
  let sign: { keyPair: KeyPair; digest: NonNullable<ReturnType<typeof firstSupported>> } | undefined;
  if (options.signedReceipt && ourKey) {
    try {
      sign = { keyPair: ourKey(), digest: firstSupported(options.micAlgorithms) ?? 'sha256' };
    } catch {
      sign = undefined; // our key cannot be read: an unsigned receipt rather than none (the key's trouble is logged where it is used)
    }
  }
  const human = 'failure' in opened
    ? `The AS2 message ${ids.messageId} was not processed: ${opened.failure.modifier} (${opened.failure.message}).`
    : `The AS2 message ${ids.messageId} was received and stored. This is not a guarantee that its content was accepted: an X12 acknowledgment follows.`;
  const built = buildMdn({
    originalMessageId: ids.messageId, reportingUa: SOFTWARE, finalRecipient: ids.to, originalRecipient: ids.to, disposition,
    ...(mic ? { receivedContentMic: mic } : {}), humanText: human, ...(sign ? { sign } : {}),
  });
  const headers = { ...as2Headers({ from: ids.to, to: ids.from, messageId: newMessageId(messageIdDomain(identity?.url)) }), 'Content-Type': built.contentType };
  const dispositionText = 'failure' in opened ? `processed/error: ${opened.failure.modifier}` : 'processed';
  return { ...built, disposition: dispositionText, headers };
}

/** A Message-ID received before: never processed again; the original MDN again (queued again when asynchronous). */
async function answerAgain(deps: As2ReceiveDeps, seen: As2MessageRecord): Promise<As2HttpReply> {
  deps.log.info({ from: seen.from, to: seen.to, messageId: seen.messageId, partner: seen.partner }, 'AS2 message received again: answered with the original MDN, not processed again');
  await withTransaction(deps.db, async (tx) => {
    await addEvent(tx, {
      fileId: seen.fileId, stage: 'as2', actor: 'system',
      message: `AS2 message ${seen.messageId} from ${seen.from} received again: answered with the original MDN, not processed again`,
      details: { as2MessageId: seen.id, messageId: seen.messageId, duplicate: true },
    });
    if (seen.mdnMode === 'async') await requeueAsyncMdn(tx, seen.id);
  }).catch((error: unknown) => deps.log.warn({ error: messageOf(error) }, 'cannot record the repeat of an AS2 message'));
  if (seen.mdnMode === 'async') deps.mdnQueued?.();
  if (seen.mdnMode === 'sync' && seen.mdn) {
    const identity = seen.partner ? deps.partners.get(seen.partner) : undefined;
    const url = identity?.transport.type === 'as2' ? identity.transport.ourKeys.url : undefined;
    return {
      status: 200,
      headers: { ...as2Headers({ from: seen.to, to: seen.from, messageId: newMessageId(messageIdDomain(url)) }), 'Content-Type': seen.mdn.contentType },
      body: seen.mdn.body,
    };
  }
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'already received\n' };
}

/** An asynchronous MDN for a message we sent. */
async function receiveMdn(deps: As2ReceiveDeps, m: { from: string; to: string; contentType: string; body: Buffer }): Promise<As2HttpReply> {
  const partner = deps.partners.byAs2(m.from, m.to);
  if (!partner || partner.transport.type !== 'as2') return refuse(403, new GatewayError('AS2_PARTNER_UNKNOWN', `an MDN from ${m.from} to ${m.to}: no partner file names this pair`, {}));
  const t = partner.transport;
  let parsed;
  try {
    parsed = parseMdn(m.contentType, m.body, { partnerCertificates: t.certificates });
  } catch (error) {
    deps.log.warn({ partner: partner.code, error: messageOf(error), ...codeField(error) }, 'an asynchronous MDN could not be read or verified; the message stays awaiting its MDN');
    return refuse(400, error);
  }
  // We sent it: AS2-From ours, AS2-To theirs.
  const sent = await findAs2Message(deps.db, { direction: 'out', from: m.to, to: m.from, messageId: parsed.originalMessageId });
  if (!sent) {
    deps.log.warn({ partner: partner.code, originalMessageId: parsed.originalMessageId }, 'an MDN for a message we did not send');
    return refuse(404, new GatewayError('AS2_REQUEST_INVALID', `no message ${parsed.originalMessageId} was sent to ${m.from}`, {}));
  }
  const outcome = await withTransaction(deps.db, (tx) => recordMdn(tx, sent, { parsed: parsed!, contentType: m.contentType, body: m.body }, { async: true, micRequired: t.outbound.mdnSigned !== 'none' }));
  if (outcome.ok) deps.log.info({ partner: partner.code, messageId: sent.messageId, outbound: sent.outboundId }, outcome.summary);
  else deps.log.warn({ partner: partner.code, messageId: sent.messageId, outbound: sent.outboundId, code: outcome.code }, outcome.reason);
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'MDN received\n' };
}

/** A multipart/report, bare or signed: an MDN, not a message to take in. */
export function isMdnMessage(contentType: string, body: Uint8Array): boolean {
  try {
    const type = mime.parseContentType(contentType);
    if (type.value === 'multipart/report') return true;
    if (type.value !== 'multipart/signed') return false;
    const [first] = mime.splitMultipart(body, type.params['boundary']);
    return first !== undefined && mime.contentTypeOf(first).value === 'multipart/report';
  } catch {
    return false;
  }
}

function required(headers: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = headers[name];
  if (value === undefined || !value.trim()) throw new GatewayError('AS2_REQUEST_INVALID', `the ${name.toUpperCase().replace('AS2-', 'AS2-')} header is missing`, { header: name });
  return value;
}

function refuse(status: number, error: unknown): As2HttpReply {
  const code = codeField(error).code;
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${messageOf(error)}${code ? ` [${code}]` : ''}\n` };
}

/** `read`'s result (or its failure) from its first call on. */
function readOnce<T>(read: () => T): () => T {
  let result: { value: T } | { error: unknown } | undefined;
  return () => {
    if (!result) {
      try {
        result = { value: read() };
      } catch (error) {
        result = { error };
      }
    }
    if ('error' in result) throw result.error;
    return result.value;
  };
}

/** Thrown inside intake's transaction when the Message-ID was committed by another request meanwhile. */
class AlreadyReceived extends Error {}

function causedBy(error: unknown, type: new () => Error): boolean {
  let at: unknown = error;
  for (let depth = 0; at instanceof Error && depth < 5; depth++) {
    if (at instanceof type) return true;
    at = (at as Error).cause;
  }
  return false;
}


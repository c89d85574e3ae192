// Records what a partner's MDN says about a message we sent, synchronous (on the POST's answer) or
// asynchronous (POSTed to us later): the message's state, an event on the documents it carried, and,
// for an asynchronous refusal, the delivery entry failed with the MDN's words (replayable) and its
// document back to built, as after a refusal on the POST's answer.
import { judgeMdn, type MdnOutcome, type ParsedMdn } from '../../as2/index.js';
import { addDeliveryEvent, failSentDelivery, recordOutboundMdn, type As2MessageRecord } from '../../store/as2-repo.js';
import type { Tx } from '../../store/conn.js';

export interface ReceivedMdn {
  parsed: ParsedMdn;
  contentType: string;
  body: Uint8Array;
}

/** Judges the MDN against the MIC we sent and records it; `async`: the entry was marked sent already. */
export async function recordMdn(tx: Tx, message: As2MessageRecord, mdn: ReceivedMdn, options: { async: boolean; micRequired: boolean }): Promise<MdnOutcome> {
  const outcome = judgeMdn(mdn.parsed, message.mic!, options.micRequired);
  await recordOutboundMdn(tx, {
    id: message.id,
    state: outcome.ok ? 'delivered' : 'mdn-error',
    reason: outcome.ok ? null : outcome.reason,
    mdn: { contentType: mdn.contentType, body: mdn.body, disposition: mdn.parsed.disposition.text },
  });
  if (message.outboundId === null) return outcome;
  const details = { messageId: message.messageId, disposition: mdn.parsed.disposition.text, ...(mdn.parsed.mic ? { mic: mdn.parsed.mic.value } : {}), ...(outcome.ok ? {} : { code: outcome.code }) };
  if (outcome.ok) {
    if (options.async) await addDeliveryEvent(tx, { outboundId: message.outboundId, message: `AS2 ${outcome.summary} (Message-ID ${message.messageId})`, details });
    return outcome;
  }
  // Synchronous: the delivery stage fails the entry with this reason (the channel throws it).
  if (!options.async) return outcome;
  const refused = await failSentDelivery(tx, message.outboundId, outcome.reason);
  if (refused.failed) {
    // The document's own states on its timeline (back to built: never delivered); none moved, the entry's.
    const states = refused.documentFrom ? { fromState: refused.documentFrom, toState: 'built' } : { fromState: 'sent', toState: 'failed' };
    const next = refused.documentFrom ? `: not delivered, no acknowledgment awaited; after the fix, edi replay ${message.outboundId} --outbound` : '';
    await addDeliveryEvent(tx, { outboundId: message.outboundId, ...states, message: `AS2 delivery refused: ${outcome.reason} [${outcome.code}]${next}`, details });
  }
  return outcome;
}

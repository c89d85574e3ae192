// Records what a partner's MDN says about a message we sent, synchronous (on the POST's answer) or
// asynchronous (POSTed to us later): the message's state, an event on the documents it carried, and,
// for an asynchronous refusal, the delivery entry failed with the MDN's words (replayable).
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
  if (options.async && (await failSentDelivery(tx, message.outboundId, outcome.reason))) {
    await addDeliveryEvent(tx, { outboundId: message.outboundId, fromState: 'sent', toState: 'failed', message: `AS2 delivery refused: ${outcome.reason} [${outcome.code}]`, details });
  }
  return outcome;
}

// The AS2 sweeps: asynchronous MDNs we owe partners (sent to the URL their message named, with
// retries), and messages we sent whose asynchronous MDN did not come in time (mdn-overdue, said on
// the timelines of the documents they carried). Rows are the queue: each try is leased in one short
// transaction (other processes skip it), POSTed with no transaction open, then recorded.
import { as2Headers, newMessageId } from '../as2/index.js';
import { codeField, messageOf } from '../errors/failure.js';
import type { Logger } from '../logging/logger.js';
import type { PartnerDirectory } from '../partners/types.js';
import { addDeliveryEvent, leaseAsyncMdn, lockDueAsyncMdns, markOverdueAs2Mdns, recordAsyncMdnTry, type As2MessageRecord } from '../store/as2-repo.js';
import { withTransaction } from '../store/conn.js';
import type { Database } from '../store/database.js';
import { postAs2, safeUrl } from '../transports/as2/http-post.js';
import { messageIdDomain } from '../transports/as2/message-id-domain.js';

export interface As2MdnOptions {
  /** Tries of an asynchronous MDN before it is given up (the message stays processed). Default 10. */
  maxAttempts?: number;
  /** First wait after a failed try, doubling up to maxDelaySeconds. Default 30 s .. 1 h. */
  baseDelaySeconds?: number;
  maxDelaySeconds?: number;
  /** POST timeout. Default 60 s. */
  timeoutSeconds?: number;
  /** Look again after this long when nothing woke the loop. Default 5 s. */
  intervalMs?: number;
}

export interface As2SweepResult {
  mdnsSent: number;
  mdnsFailed: number;
  overdue: number;
}

export async function sweepAs2(db: Database, partners: PartnerDirectory, options: As2MdnOptions, log: Logger): Promise<As2SweepResult> {
  const result: As2SweepResult = { mdnsSent: 0, mdnsFailed: 0, overdue: 0 };
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  // Leased for longer than one POST may take: a process that dies mid-try leaves it to the next sweep.
  const due = await withTransaction(db, async (tx) => {
    const rows = await lockDueAsyncMdns(tx, 10);
    const leased: { row: As2MessageRecord; attempt: number }[] = [];
    for (const row of rows) leased.push({ row, attempt: await leaseAsyncMdn(tx, row.id, timeoutSeconds * 2 + 30) });
    return leased;
  });
  for (const { row, attempt } of due) {
    if (await sendMdn(db, partners, row, attempt, options, log)) result.mdnsSent++;
    else result.mdnsFailed++;
  }
  for (const message of await withTransaction(db, async (tx) => {
    const overdue = await markOverdueAs2Mdns(tx, 100);
    for (const m of overdue) {
      if (m.outboundId === null) continue;
      await addDeliveryEvent(tx, {
        outboundId: m.outboundId, message: `AS2 MDN overdue: no MDN for Message-ID ${m.messageId} came by ${m.mdnDueAt?.toISOString() ?? 'its due time'} (mdn-overdue)`,
        details: { messageId: m.messageId, as2MessageId: m.id, state: 'mdn-overdue' },
      });
    }
    return overdue;
  })) {
    result.overdue++;
    log.warn({ partner: message.partner, messageId: message.messageId, outbound: message.outboundId }, 'no asynchronous MDN in time: mdn-overdue');
  }
  return result;
}

async function sendMdn(db: Database, partners: PartnerDirectory, row: As2MessageRecord, attempt: number, options: As2MdnOptions, log: Logger): Promise<boolean> {
  const max = options.maxAttempts ?? 10;
  const partner = row.partner ? partners.get(row.partner) : undefined;
  const ourUrl = partner?.transport.type === 'as2' ? partner.transport.ourKeys.url : partners.gateway().as2?.url;
  const where = { partner: row.partner, messageId: row.messageId, to: row.mdnUrl ? safeUrl(row.mdnUrl) : undefined, attempt };
  try {
    // Our MDN goes from the id the partner sent to, to the partner.
    const headers = { ...as2Headers({ from: row.to, to: row.from, messageId: newMessageId(messageIdDomain(ourUrl)) }), 'Content-Type': row.mdn!.contentType };
    const answer = await postAs2(row.mdnUrl!, headers, row.mdn!.body, { timeoutMs: (options.timeoutSeconds ?? 60) * 1000 });
    if (answer.status < 200 || answer.status > 299) throw new Error(`HTTP ${answer.status}`);
    await recordAsyncMdnTry(db, { id: row.id, sent: true });
    log.info(where, 'asynchronous MDN sent');
    return true;
  } catch (error) {
    const last = attempt >= max;
    const wait = Math.min(options.maxDelaySeconds ?? 3600, (options.baseDelaySeconds ?? 30) * 2 ** Math.max(0, attempt - 1));
    const reason = `asynchronous MDN try ${attempt} of ${max} to ${where.to ?? 'no URL'} failed${last ? '' : `, next in ${wait} s`}: ${messageOf(error)}`;
    await recordAsyncMdnTry(db, { id: row.id, sent: false, reason, delaySeconds: wait, fail: last }).catch((e: unknown) =>
      log.warn({ ...where, error: messageOf(e) }, 'cannot record a try of an asynchronous MDN'));
    log[last ? 'error' : 'warn']({ ...where, error: messageOf(error), ...codeField(error) }, last ? 'asynchronous MDN given up' : 'asynchronous MDN failed; will retry');
    return false;
  }
}

export interface As2Loop {
  /** One sweep now (tests); waits for one in progress first. */
  sweep(): Promise<As2SweepResult>;
  /** Something is due now (an MDN was queued). */
  wake(): void;
  stop(): Promise<void>;
}

export function startAs2Loop(db: Database, partners: PartnerDirectory, options: As2MdnOptions, log: Logger): As2Loop {
  let stopping = false;
  let current: Promise<As2SweepResult> = Promise.resolve({ mdnsSent: 0, mdnsFailed: 0, overdue: 0 });
  let wake: (() => void) | undefined;
  const sweep = () => (current = current.catch(() => undefined).then(() => sweepAs2(db, partners, options, log)));
  const loop = (async () => {
    let errorDelay = 0;
    while (!stopping) {
      try {
        await sweep();
        errorDelay = 0;
      } catch (error) {
        errorDelay = Math.min(errorDelay ? errorDelay * 2 : 250, 5_000);
        if (!stopping) log.warn({ error: messageOf(error), retryInMs: errorDelay }, 'AS2 sweep failed');
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, errorDelay || options.intervalMs || 5000);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  })();
  return {
    sweep,
    wake: () => wake?.(),
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await current.catch(() => undefined);
    },
  };
}

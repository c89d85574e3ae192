// Builds the acknowledgment of one received interchange (TA1 and/or 997/999, src/acks) with
// control numbers from our per-partner counters, and queues it in `outbound` once per interchange.
import type { Finding } from '../errors/finding.js';
import { acknowledgeInterchange, serializeAcknowledgment, type AckControlNumbers, type AckIdentity } from '../acks/respond.js';
import { run, type Tx } from '../store/conn.js';
import { notify } from '../store/sql/notify.js';
import { findOutbound, queueOutbound, takeControlNumber } from '../store/outbound-repo.js';
import type { OutboundRecord } from '../store/types.js';
import type { Interchange, TransactionSet } from '../x12/model.js';
import type { PipelineContext } from './context.js';
import type { OutboundInterchange } from '../x12/writer.js';
import { DELIVERY_WAKE } from './deliver.js';
import { ackFor, isaVersionOf, x12For } from './partner-settings.js';

/** The source key of the acknowledgment answering a stored interchange. */
export const ackSourceKey = (interchangeId: number): string => `interchange:${interchangeId}:ack`;

/** Whom the partner addressed (ISA07/ISA08, each group's GS03) answers: the default identity until partner profiles exist. */
export function addressedIdentity(ic: Interchange): AckIdentity {
  return {
    isaQualifier: ic.header.receiverQualifier,
    isaId: ic.header.receiverId,
    gsId: (g) => g.header.receiverId || ic.header.receiverId,
  };
}

/**
 * Queues the acknowledgment of `ic` (stored as `interchangeId`) unless one is queued already or none
 * is due by the policy. Control numbers are taken in `tx`, only as many as the acknowledgment uses.
 */
export async function queueAcknowledgment(
  ctx: Pick<PipelineContext, 'ack' | 'now' | 'partners' | 'maxFileBytes'> & { queue?: Pick<PipelineContext['queue'], 'channel'> },
  tx: Tx,
  input: { partner: string; fileId: number; interchangeId: number; ic: Interchange; setFindings: ReadonlyMap<TransactionSet, readonly Finding[]> },
): Promise<OutboundRecord | undefined> {
  const sourceKey = ackSourceKey(input.interchangeId);
  if (await findOutbound(tx, sourceKey)) return undefined;
  // The partner file's policy and our ids towards the partner; the gateway-wide ones without a file.
  const settings = ackFor(ctx, input.partner);
  const { policy } = settings;
  const identity = typeof settings.identity === 'function' ? settings.identity(input.ic) : settings.identity;
  const now = ctx.now();
  // A dry run counts the numbers the acknowledgment needs (acknowledgeInterchange is pure).
  const used = { isa: 0, gs: 0, st: 0 };
  const counting: AckControlNumbers = {
    interchange: () => (used.isa++, 1),
    group: () => (used.gs++, '1'),
    nextSet: () => (used.st++, '0001'),
  };
  // The partner file's x12 settings (delimiters, line break, version); our defaults without one.
  const x12 = x12For(ctx, input.partner);
  const options = x12 ? { delimiters: x12.delimiters } : {};
  if (!acknowledgeInterchange(input.ic, input.setFindings, policy, identity, counting, now, options)) return undefined;
  const take = async (kind: 'isa' | 'gs' | 'st', n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await takeControlNumber(tx, input.partner, kind));
    return out;
  };
  const [isa, gs, st] = [await take('isa', used.isa), await take('gs', used.gs), await take('st', used.st)];
  const numbers: AckControlNumbers = {
    interchange: () => isa.shift()!,
    group: () => String(gs.shift()!),
    nextSet: () => String(st.shift()!).padStart(4, '0'),
  };
  const built = acknowledgeInterchange(input.ic, input.setFindings, policy, identity, numbers, now, options)!;
  const ack = x12 ? inVersion(built, x12.version) : built;
  const kind = ack.groups.length ? policy.kind : 'TA1';
  // Without a partner file: our default delimiters, one segment per line.
  const payload = serializeAcknowledgment(ack, x12?.delimiters, !x12 || x12.lineBreak ? '\n' : undefined);
  const queued = await queueOutbound(tx, { partner: input.partner, kind, fileId: input.fileId, sourceKey, payload });
  // Wakes the delivery loops at commit (src/jobs/deliver.ts).
  if (queued && ctx.queue) await run(tx, notify(ctx.queue.channel, [DELIVERY_WAKE]));
  return queued;
}

/**
 * The acknowledgment in the partner's version: ISA12 from it, and a 997's GS08 (a 999 keeps its
 * guide's 005010X231A1, which names its own version).
 */
export function inVersion(ack: OutboundInterchange, version: string): OutboundInterchange {
  return {
    ...ack,
    header: { ...ack.header, version: isaVersionOf(version) },
    groups: ack.groups.map((g) => (g.transactions.every((t) => t.id === '997') ? { ...g, version } : g)),
  };
}

// Builds the acknowledgment of one received interchange (TA1 and/or 997/999, src/acks) with
// control numbers from our per-partner counters, and queues it in `outbound` once per interchange.
import type { AckPolicy } from '../acks/policy.js';
import type { Finding } from '../errors/finding.js';
import { acknowledgeInterchange, serializeAcknowledgment, type AckControlNumbers, type AckIdentity } from '../acks/respond.js';
import { run, type Tx } from '../store/conn.js';
import { notify } from '../store/sql/notify.js';
import { findOutboundSourceKeys, queueOutboundMany, takeControlNumbers } from '../store/outbound-repo.js';
import type { ControlNumberKind, OutboundRecord } from '../store/types.js';
import type { Interchange, TransactionSet } from '../x12/model.js';
import type { PipelineContext } from './context.js';
import type { OutboundInterchange } from '../x12/writer.js';
import { DELIVERY_WAKE } from './deliver.js';
import { ackFor, isaVersionOf, x12For } from './partner-settings.js';
import { ackSourceKey } from '../store/sql/outbound.js';

/** The source key of the acknowledgment answering a stored interchange (one format, with the store's SQL that joins on it). */
export { ackSourceKey };

/** Whom the partner addressed (ISA07/ISA08, each group's GS03) answers: the default identity until partner profiles exist. */
export function addressedIdentity(ic: Interchange): AckIdentity {
  return {
    isaQualifier: ic.header.receiverQualifier,
    isaId: ic.header.receiverId,
    gsId: (g) => g.header.receiverId || ic.header.receiverId,
  };
}

type AckContext = Pick<PipelineContext, 'ack' | 'now' | 'partners' | 'maxFileBytes'> & { queue?: Pick<PipelineContext['queue'], 'channel'> };

export interface AckInput {
  partner: string;
  fileId: number;
  interchangeId: number;
  ic: Interchange;
  setFindings: ReadonlyMap<TransactionSet, readonly Finding[]>;
}

/**
 * Queues the acknowledgment of `ic` (stored as `interchangeId`) unless one is queued already or none
 * is due by the policy. Control numbers are taken in `tx`, only as many as the acknowledgment uses.
 */
export async function queueAcknowledgment(ctx: AckContext, tx: Tx, input: AckInput): Promise<OutboundRecord | undefined> {
  return (await queueAcknowledgments(ctx, tx, [input]))[0];
}

/**
 * queueAcknowledgment for many interchanges (a slice of a large file) with a few statements in all:
 * the control numbers of each kind are taken at once and handed out in the order of `inputs`, as
 * one call per interchange would take them. Returns the entries queued.
 */
export async function queueAcknowledgments(ctx: AckContext, tx: Tx, inputs: readonly AckInput[]): Promise<OutboundRecord[]> {
  const queued = await findOutboundSourceKeys(tx, inputs.map((i) => ackSourceKey(i.interchangeId)));
  const now = ctx.now();
  const due = [];
  const needed = new Map<string, { partner: string; kind: ControlNumberKind; count: number }>();
  for (const input of inputs) {
    if (queued.has(ackSourceKey(input.interchangeId))) continue;
    // The partner file's policy and our ids towards the partner; the gateway-wide ones without a file.
    const settings = ackFor(ctx, input.partner);
    const { policy } = settings;
    const identity = typeof settings.identity === 'function' ? settings.identity(input.ic) : settings.identity;
    // The partner file's x12 settings (delimiters, line break, version); our defaults without one.
    const x12 = x12For(ctx, input.partner);
    const options = x12 ? { delimiters: x12.delimiters } : {};
    // A dry run counts the numbers the acknowledgment needs (acknowledgeInterchange is pure).
    const used = { isa: 0, gs: 0, st: 0 };
    const counting: AckControlNumbers = {
      interchange: () => (used.isa++, 1),
      group: () => (used.gs++, '1'),
      nextSet: () => (used.st++, '0001'),
    };
    if (!acknowledgeInterchange(input.ic, input.setFindings, policy, identity, counting, now, options)) continue;
    for (const kind of ['isa', 'gs', 'st'] as const) {
      const key = `${input.partner}|${kind}`;
      const n = needed.get(key) ?? { partner: input.partner, kind, count: 0 };
      n.count += used[kind];
      needed.set(key, n);
    }
    due.push({ input, policy, identity, x12, options });
  }
  if (due.length === 0) return [];
  const numbers = new Map<string, number[]>();
  for (const [key, n] of needed) numbers.set(key, await takeControlNumbers(tx, n.partner, n.kind, n.count));
  const next = (partner: string, kind: ControlNumberKind) => numbers.get(`${partner}|${kind}`)!.shift()!;
  const entries = due.map(({ input, policy, identity, x12, options }) => {
    const taking: AckControlNumbers = {
      interchange: () => next(input.partner, 'isa'),
      group: () => String(next(input.partner, 'gs')),
      nextSet: () => String(next(input.partner, 'st')).padStart(4, '0'),
    };
    const { kind, payload } = writtenAcknowledgment(acknowledgeInterchange(input.ic, input.setFindings, policy, identity, taking, now, options)!, policy, x12);
    return { partner: input.partner, kind, fileId: input.fileId, sourceKey: ackSourceKey(input.interchangeId), payload };
  });
  const records = await queueOutboundMany(tx, entries);
  // Wakes the delivery loops at commit (src/jobs/deliver.ts).
  if (records.length && ctx.queue) await run(tx, notify(ctx.queue.channel, [DELIVERY_WAKE]));
  return records;
}

/**
 * The acknowledgment the pipeline would queue for `ic`, with the given control numbers (pure: `edi
 * partners test` prints it without taking numbers); undefined when none is due by the policy.
 */
export function acknowledgmentFor(ctx: Pick<AckContext, 'ack' | 'partners' | 'maxFileBytes'>, partner: string, ic: Interchange, setFindings: ReadonlyMap<TransactionSet, readonly Finding[]>, numbers: AckControlNumbers, now: Date): { kind: string; payload: string } | undefined {
  const settings = ackFor(ctx, partner);
  const identity = typeof settings.identity === 'function' ? settings.identity(ic) : settings.identity;
  const x12 = x12For(ctx, partner);
  const built = acknowledgeInterchange(ic, setFindings, settings.policy, identity, numbers, now, x12 ? { delimiters: x12.delimiters } : {});
  return built ? writtenAcknowledgment(built, settings.policy, x12) : undefined;
}

/** An acknowledgment as it is sent: in the partner's version and delimiters (without a partner file: our defaults, one segment per line). */
function writtenAcknowledgment(built: OutboundInterchange, policy: AckPolicy, x12: ReturnType<typeof x12For>): { kind: string; payload: string } {
  const ack = x12 ? inVersion(built, x12.version) : built;
  const kind = ack.groups.length ? policy.kind : 'TA1';
  return { kind, payload: serializeAcknowledgment(ack, x12?.delimiters, !x12 || x12.lineBreak ? '\n' : undefined) };
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

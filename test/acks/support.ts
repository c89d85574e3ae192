// Test inputs for the acknowledgment tests: inbound interchanges written with the
// writer and read back with the reader, findings placed the way the validator does.
import { finding, type Finding } from '../../src/errors/finding.js';
import type { ErrorCode } from '../../src/errors/catalog.js';
import type { Interchange, Location, TransactionSet } from '../../src/x12/model.js';
import { readX12 } from '../../src/x12/reader.js';
import { defaultDelimiters, serializeInterchange, type OutboundInterchange, type SegmentData } from '../../src/x12/writer.js';
import type { AckControlNumbers, AckIdentity } from '../../src/acks/respond.js';

/** A short 850: PO1 is segment 5 (ST = 1). */
export const po850 = (n: number): SegmentData[] => [
  ['BEG', '00', 'SA', `PO${1000 + n}`, '', '20261101'],
  ['REF', 'DP', '038'],
  ['DTM', '002', '20261115'],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

export interface GroupInput {
  gs01?: string;
  set?: string;
  control: number;
  sets: number;
  gs02?: string;
  gs08?: string;
  st03?: string;
  body?: (n: number) => SegmentData[];
}

export interface InboundInput {
  control?: number;
  version?: '00401' | '00501';
  ackRequested?: '0' | '1';
  usage?: 'P' | 'T';
  groups?: GroupInput[];
  ta1?: SegmentData[];
}

export function inboundText(opts: InboundInput = {}): string {
  const version = opts.version ?? '00401';
  const groups = opts.groups ?? [{ control: 1, sets: 1 }];
  const ic: OutboundInterchange = {
    header: {
      senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY',
      date: '261101', time: '1230', version, controlNumber: opts.control ?? 905, usage: opts.usage ?? 'P', ackRequested: opts.ackRequested ?? '0',
    },
    ...(opts.ta1 ? { ta1: opts.ta1 } : {}),
    groups: groups.map((g) => ({
      functionalId: g.gs01 ?? 'PO', senderId: g.gs02 ?? 'ACMEBUYER', receiverId: 'OURCOMPANY', date: '20261101', time: '1230',
      controlNumber: String(g.control), version: g.gs08 ?? (version === '00501' ? '005010' : '004010'),
      transactions: Array.from({ length: g.sets }, (_, i) => ({
        id: g.set ?? '850', controlNumber: String(1 + i).padStart(4, '0'),
        ...(g.st03 ? { implementationReference: g.st03 } : {}),
        body: (g.body ?? po850)(g.control * 10 + i),
      })),
    })),
  };
  return serializeInterchange(ic, { delimiters: defaultDelimiters(version), lineBreak: '\n' });
}

/** Reads text holding exactly one interchange. */
export function readOne(text: string): Interchange {
  const r = readX12(text);
  if (r.interchanges.length !== 1) throw new Error(`expected one interchange, got ${r.interchanges.length}`);
  return r.interchanges[0]!;
}

export const inbound = (opts: InboundInput = {}): Interchange => readOne(inboundText(opts));

/** The set `st02` of group `gs06`. */
export function setOf(ic: Interchange, gs06: string, st02: string): TransactionSet {
  const tx = ic.groups.find((g) => g.header.controlNumber === gs06)?.transactions.find((t) => t.controlNumber === st02);
  if (!tx) throw new Error(`no set ${gs06}/${st02}`);
  return tx;
}

/** A validation finding about segment `position` of a set, as the validator places it. */
export function at(code: ErrorCode, tx: TransactionSet, position: number, tag: string, extra: Location = {}, value?: string, severity?: 'error' | 'warning'): Finding {
  const loc: Location = { transaction: tx.controlNumber, transactionSetId: tx.id, segmentPosition: position, segmentTag: tag, ...extra };
  return finding(code, `test finding ${code} at ${tag} ${position}`, loc, { ...(value !== undefined ? { value } : {}), ...(severity ? { severity } : {}) });
}

export const us: AckIdentity = { isaQualifier: '01', isaId: '123456789', gsId: 'OURGS' };

/** Counters like the outbound ones: every number handed out is recorded. */
export function counters(start = { interchange: 7001, group: 801, set: 1 }): AckControlNumbers & { used: string[] } {
  let ic = start.interchange;
  let group = start.group;
  let set = start.set;
  const used: string[] = [];
  return {
    used,
    interchange: () => { used.push(`ISA ${ic}`); return ic++; },
    group: () => { used.push(`GS ${group}`); return String(group++); },
    nextSet: () => { used.push(`ST ${set}`); return String(set++).padStart(4, '0'); },
  };
}

/** X12 text as one segment per entry, terminators dropped. */
export const segmentsOf = (text: string): string[] => text.split('~').map((s) => s.trim()).filter((s) => s !== '');

export const now = new Date('2026-11-02T08:05:00Z');

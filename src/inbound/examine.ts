// Examines inbound X12: reads, validates each set against its spec, maps the sets that
// pass to canonical documents, and decides what we acknowledge. Pure: bytes in, data out.
// The CLI, the benchmark and (later) the pipeline stages all use this one path.
import { finding, type Finding } from '../errors/finding.js';
import type { Envelope } from '../documents/common.js';
import type { FunctionalGroup, Interchange, ReadResult, TransactionSet } from '../x12/model.js';
import { readX12, type ReadOptions } from '../x12/reader.js';
import { specVersion } from '../x12/versions.js';
import { getSegmentDictionary, getTransactionSetSpec } from '../x12/specs.js';
import { Validator } from '../x12/validate.js';
import { firstSegment } from '../x12/segment-list.js';
import { mapFor, type CanonicalDocument, type DocumentType } from '../maps/registry.js';
import { acknowledgeInterchange, type AckControlNumbers, type AckIdentity } from '../acks/respond.js';
import { assessGroup } from '../acks/functional-ack.js';
import { assessInterchange } from '../acks/ta1.js';
import type { AckPolicy } from '../acks/policy.js';
import type { OutboundInterchange } from '../x12/writer.js';
import type { SetGuide } from '../x12/guide-types.js';

export interface ExaminedTransaction {
  envelope: Envelope;
  tx: TransactionSet;
  /** Validation findings against the spec (AK3/AK4); envelope findings stay in tx.findings. */
  validation: Finding[];
  /** Mapping findings (business level, never acknowledged in a 997). */
  mapping: Finding[];
  documentType?: DocumentType;
  document?: CanonicalDocument;
}

/** Every finding of one examined set: envelope, validation, then mapping. */
export function findingsOf(e: ExaminedTransaction): Finding[] {
  return [...e.tx.findings, ...e.validation, ...e.mapping];
}

export interface TransactionExamineOptions {
  file?: string;
  /** Map the set to its canonical document when it passed validation (default true). */
  map?: boolean;
  /**
   * Validates the set; the map then reads the element boundaries it noted. Examining many sets,
   * pass one Validator for all: without it, each call makes a new one (and compiles the spec again).
   */
  validator?: Validator;
  /** The partner's implementation guides by set id: a set's guide is checked with its spec (when it covers the set's version). */
  guides?: Readonly<Record<string, SetGuide>>;
}

/** Validates one set against its spec and maps it when it is clean. */
export function examineTransaction(tx: TransactionSet, group: FunctionalGroup, ic: Interchange, options: TransactionExamineOptions = {}): ExaminedTransaction {
  // Two plain literals rather than a spread: this runs for every set of a file.
  const interchange = ic.header.controlNumber;
  const groupControl = group.header.controlNumber;
  const ctx: { file?: string; interchange: string; group: string } =
    options.file !== undefined ? { file: options.file, interchange, group: groupControl } : { interchange, group: groupControl };
  const result: ExaminedTransaction = { envelope: envelopeOf(tx, group, ic), tx, validation: [], mapping: [] };
  if (!tx.complete) return result; // cut short: its SE_MISSING finding rejects it; nothing to validate
  const version = specVersion(group.header.version) ?? specVersion(ic.header.version);
  const spec = version ? getTransactionSetSpec(version, tx.id) : undefined;
  if (!version || !spec) {
    const st = firstSegment(tx);
    result.validation.push(finding('X12_SET_UNSUPPORTED', `transaction set ${tx.id} in version ${group.header.version || ic.header.version} is not supported`, {
      ...ctx, transaction: tx.controlNumber, transactionSetId: tx.id, segmentTag: 'ST', segmentPosition: 1, offset: st?.offset, line: st?.line,
    }));
    return result;
  }
  const validator = options.validator ?? new Validator();
  const guide = options.guides?.[tx.id];
  result.validation = validator.validate(tx, spec, getSegmentDictionary(version), ctx, guide?.versions.includes(version) ? guide : undefined);
  const syntaxOk = !tx.findings.some(isError) && !result.validation.some(isError);
  const map = mapFor(tx.id);
  if (map && syntaxOk && options.map !== false) {
    // The set was validated just now: its element boundaries are those the validator noted.
    const mapped = map.read(tx, ctx, validator.bounds);
    result.mapping = mapped.findings;
    result.documentType = map.documentType;
    if (mapped.document) result.document = mapped.document;
  }
  return result;
}

export interface AckSettings {
  policy: AckPolicy;
  /** Who we are towards the sender; a function when it depends on the interchange (e.g. whom it addressed). */
  identity: AckIdentity | ((ic: Interchange) => AckIdentity);
  controlNumbers: AckControlNumbers;
  now: Date;
}

export interface FileExamination {
  read: ReadResult;
  sets: ExaminedTransaction[];
  /** Every finding, file level first, then per interchange, group and set in file order. */
  findings: Finding[];
  /** Sets that may go on to posting: set, group and interchange all accepted, and mapped. */
  accepted: ExaminedTransaction[];
  /** The acknowledgment interchanges we answer with (one per received interchange that needs one). */
  acks: OutboundInterchange[];
}

/**
 * Checks a partner file adds, as the split and validate stages apply them (src/jobs/partner-settings.ts):
 * envelope ids and usage per interchange, GS ids per group, and sets the partner may not send
 * (their findings replace validation: a refused set is not checked against its spec).
 */
export interface PartnerChecks {
  interchange(ic: Interchange): Finding[];
  group(g: FunctionalGroup, ic: Interchange): Finding[];
  set(tx: TransactionSet, g: FunctionalGroup, ic: Interchange): Finding[];
}

/** Examines a whole file in memory; with `checks`, as the pipeline would for that partner. */
export function examineFile(input: string | Uint8Array, options: ReadOptions & { ack?: AckSettings; checks?: PartnerChecks; guides?: TransactionExamineOptions['guides'] } = {}): FileExamination {
  const read = readX12(input, options);
  const sets: ExaminedTransaction[] = [];
  const accepted: ExaminedTransaction[] = [];
  const acks: OutboundInterchange[] = [];
  const findings: Finding[] = [...read.findings];
  const validator = new Validator();
  const examineOptions: TransactionExamineOptions = { validator, ...(options.file !== undefined ? { file: options.file } : {}), ...(options.guides ? { guides: options.guides } : {}) };
  const checks = options.checks;
  for (const ic of read.interchanges) {
    if (checks) ic.findings.push(...checks.interchange(ic));
    findings.push(...ic.findings);
    const setFindings = new Map<TransactionSet, Finding[]>();
    const icAccepted = assessInterchange(ic).status !== 'R';
    for (const g of ic.groups) {
      if (checks) g.findings.push(...checks.group(g, ic));
      findings.push(...g.findings);
      const examined = g.transactions.map((tx): ExaminedTransaction => {
        const refused = checks?.set(tx, g, ic) ?? [];
        return refused.length ? { envelope: envelopeOf(tx, g, ic), tx, validation: refused, mapping: [] } : examineTransaction(tx, g, ic, examineOptions);
      });
      for (const e of examined) {
        setFindings.set(e.tx, e.validation);
        findings.push(...findingsOf(e));
      }
      sets.push(...examined);
      const verdict = assessGroup(g, setFindings);
      if (icAccepted && verdict.status !== 'R') {
        for (const s of verdict.sets) {
          const e = examined.find((x) => x.tx === s.tx);
          if (s.status === 'A' && e?.document && !e.mapping.some(isError)) accepted.push(e);
        }
      }
    }
    if (options.ack) {
      const a = options.ack;
      const identity = typeof a.identity === 'function' ? a.identity(ic) : a.identity;
      const ack = acknowledgeInterchange(ic, setFindings, a.policy, identity, a.controlNumbers, a.now);
      if (ack) acks.push(ack);
    }
  }
  return { read, sets, findings, accepted, acks };
}

export function envelopeOf(tx: TransactionSet, group: FunctionalGroup, ic: Interchange): Envelope {
  const h = ic.header;
  return {
    senderQualifier: h.senderQualifier, senderId: h.senderId, receiverQualifier: h.receiverQualifier, receiverId: h.receiverId,
    interchangeControlNumber: h.controlNumber, usage: h.usage,
    groupSenderId: group.header.senderId, groupReceiverId: group.header.receiverId, groupControlNumber: group.header.controlNumber,
    version: group.header.version, transactionSetId: tx.id, transactionControlNumber: tx.controlNumber,
  };
}

function isError(f: Finding): boolean {
  return f.severity === 'error';
}


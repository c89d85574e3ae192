// The pure core of the inbound pipeline, without the database: what the split, validate and map
// stages (src/jobs/split.ts, validate.ts, map.ts) and the acknowledgment (src/jobs/acks.ts) compute
// from a file's bytes, in the same order and with the same functions. The fuzz tests run mutated
// files through it; anything it throws would fail a pipeline job over and over.
import { ackPolicy, type AckPolicy } from '../../src/acks/policy.js';
import { assessGroup } from '../../src/acks/functional-ack.js';
import { readFunctionalAckSet } from '../../src/acks/parse-acks.js';
import { acknowledgeInterchange, serializeAcknowledgment } from '../../src/acks/respond.js';
import { assessInterchange } from '../../src/acks/ta1.js';
import type { Finding } from '../../src/errors/finding.js';
import { examineTransaction, findingsOf } from '../../src/inbound/examine.js';
import { addressedIdentity } from '../../src/jobs/acks.js';
import { mapFor, type CanonicalDocument } from '../../src/maps/registry.js';
import type { Interchange, Segment, TransactionSet } from '../../src/x12/model.js';
import { readTransactionSet } from '../../src/x12/read-set.js';
import { readX12 } from '../../src/x12/reader.js';
import { Validator } from '../../src/x12/validate.js';

export interface CoreRun {
  /** Every finding of every stage, file level first. */
  findings: Finding[];
  /** Sets that got as far as the map stage, with what it made of them. */
  mapped: { tx: TransactionSet; document?: CanonicalDocument; viaStage: MapOutcome; viaBounds: MapOutcome }[];
  /** The acknowledgments' text (what delivery would upload). */
  acks: string[];
}

/** What the map made of a set: the document (or nothing) and the findings' codes and positions. */
export interface MapOutcome {
  document?: unknown;
  findings: Finding[];
}

/** The byte after a segment's terminator, as the split stage stores it (the file's end when none). */
export function segmentEnd(bytes: Buffer, seg: Segment): number {
  const at = bytes.indexOf(seg.delimiters.segment.charCodeAt(0), seg.offset);
  return at < 0 ? bytes.length : at + 1;
}

const FILE = 'fuzz.edi';

/**
 * Runs the pipeline's pure steps on `bytes`. `policy` is the partner's acknowledgment policy.
 * A set is mapped twice, as examineFile does (with the validator's element bounds) and as the map
 * stage does (read back from its own stored bytes, no bounds): both must agree.
 */
export function runCore(bytes: Buffer, policy: AckPolicy = ackPolicy({ ta1: 'always' })): CoreRun {
  const findings: Finding[] = [];
  const mapped: CoreRun['mapped'] = [];
  const acks: string[] = [];
  // split
  const read = readX12(bytes, { file: FILE });
  findings.push(...read.findings);
  let controlNumber = 0;
  const validator = new Validator();
  for (const ic of read.interchanges) {
    findings.push(...ic.findings);
    // The split's verdict (its message is the rejected documents' reason).
    const icAccepted = assessInterchange(ic).status !== 'R';
    const setFindings = new Map<TransactionSet, Finding[]>();
    for (const g of ic.groups) {
      findings.push(...g.findings);
      for (const t of g.transactions) {
        // validate (examineTransaction with map: false in the stage; mapped right here as examineFile does)
        const e = examineTransaction(t, g, ic, { file: FILE, validator });
        setFindings.set(t, e.validation);
        findings.push(...findingsOf(e));
        const valid = t.complete && !findingsOf(e).some((f) => f.severity === 'error');
        if (!valid || !icAccepted) continue;
        const viaBounds: MapOutcome = { findings: e.mapping, ...(e.document ? { document: e.document } : {}) };
        const viaStage = mapStage(bytes, ic, g.header.controlNumber, t);
        findings.push(...viaStage.findings);
        mapped.push({ tx: t, viaStage, viaBounds, ...(e.document ? { document: e.document } : {}) });
      }
      assessGroup(g, setFindings);
    }
    const numbers = { interchange: () => ++controlNumber, group: () => String(++controlNumber), nextSet: () => String(++controlNumber).padStart(4, '0') };
    const ack = acknowledgeInterchange(ic, setFindings, policy, addressedIdentity(ic), numbers, new Date('2026-12-07T12:00:00Z'));
    if (ack) acks.push(serializeAcknowledgment(ack, undefined, '\n'));
  }
  return { findings, mapped, acks };
}

/** The map stage: the set read back from the bytes the split stored for it, then its map (or the 997/999 reader). */
function mapStage(bytes: Buffer, ic: Interchange, group: string, t: TransactionSet): MapOutcome {
  const st = t.segments[0]!;
  const end = segmentEnd(bytes, t.segments[t.segments.length - 1]!);
  const tx = readTransactionSet(bytes.subarray(st.offset, end), ic.delimiters, { offset: st.offset, line: st.line, file: FILE });
  const map = mapFor(t.id);
  if (map) {
    const r = map.read(tx, { file: FILE, interchange: ic.header.controlNumber, group });
    return { findings: r.findings, ...(r.document ? { document: r.document } : {}) };
  }
  if (t.id === '997' || t.id === '999') {
    const h = ic.header;
    const ack = readFunctionalAckSet(tx, { header: { controlNumber: h.controlNumber, senderQualifier: h.senderQualifier, senderId: h.senderId, receiverId: h.receiverId }, group });
    return { findings: ack.problems as Finding[], document: ack };
  }
  return { findings: [] };
}

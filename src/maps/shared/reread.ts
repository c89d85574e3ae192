// Serializes a transaction set body in a minimal interchange and reads it back, so
// what a map writes can be checked by reading it again (outbound self-checks, tests).
import type { Finding } from '../../errors/finding.js';
import { allFindings, readX12 } from '../../x12/reader.js';
import type { Delimiters, TransactionSet } from '../../x12/model.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../x12/writer.js';
import type { X12Version } from './map-types.js';

/** GS01 of the sets the maps write. */
const FUNCTIONAL_IDS: Readonly<Record<string, string>> = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN' };

export interface Reread {
  text: string;
  transaction: TransactionSet;
  /** Envelope findings of the read (none when the writer and reader agree). */
  findings: Finding[];
}

export function rereadTransaction(
  id: string, body: readonly SegmentData[], version: X12Version, delimiters?: Delimiters,
): Reread {
  const isaVersion = version === '005010' ? '00501' : '00401';
  const text = serializeInterchange({
    header: {
      senderQualifier: 'ZZ', senderId: 'SELFCHECK', receiverQualifier: 'ZZ', receiverId: 'SELFCHECK',
      date: '000101', time: '0000', version: isaVersion, controlNumber: 1, usage: 'T',
    },
    groups: [{
      functionalId: FUNCTIONAL_IDS[id] ?? 'ZZ', senderId: 'SELFCHECK', receiverId: 'SELFCHECK', date: '20000101', time: '0000',
      controlNumber: '1', version, transactions: [{ id, controlNumber: '0001', body }],
    }],
  }, { delimiters: delimiters ?? defaultDelimiters(isaVersion), lineBreak: '\n' });
  const result = readX12(text);
  const transaction = result.interchanges[0]?.groups[0]?.transactions[0];
  if (!transaction) throw new Error(`reading back the written ${id} gave no transaction set`);
  return { text, transaction, findings: allFindings(result) };
}

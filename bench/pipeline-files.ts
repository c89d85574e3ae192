// Inbound files for the pipeline bench and the scale-out / crash tests: one interchange of small
// 850 purchase orders per file, written through our writer (valid by construction), every file with
// its own ISA13 so no interchange is a duplicate of another.
import { serializeInterchange, type SegmentData } from '../src/x12/writer.js';
import type { Delimiters } from '../src/x12/model.js';

const D: Delimiters = { element: '*', component: '>', repetition: null, segment: '~' };

export interface BurstFile {
  name: string;
  bytes: Buffer;
  /** Transaction sets in the file. */
  sets: number;
}

function purchaseOrder(file: number, set: number, lines: number): SegmentData[] {
  const po = `PO${String(file).padStart(6, '0')}-${String(set).padStart(3, '0')}`;
  const body: SegmentData[] = [
    ['BEG', '00', 'SA', po, '', '20261101'],
    ['REF', 'DP', String(100 + (file % 50))],
    ['DTM', '002', '20261115'],
    ['N1', 'ST', `STORE ${file % 900}`, '92', `S${file % 900}`],
    ['N3', '100 MAIN ST'],
    ['N4', 'SPRINGFIELD', 'IL', '62701', 'US'],
  ];
  let qty = 0;
  for (let l = 1; l <= lines; l++) {
    const q = 1 + ((file + set + l) % 24);
    qty += q;
    body.push(['PO1', String(l), String(q), 'EA', (2.5 + l).toFixed(2), 'PE', 'VN', `SKU-${l}`, 'BP', `B${set}-${l}`]);
    body.push(['PID', 'F', '08', '', '', `ITEM ${l}`]);
  }
  body.push(['CTT', String(lines), String(qty)]);
  return body;
}

/**
 * File number `file` (1-based, unique per run and sender) holding `sets` 850s of `lines` lines each.
 * `sender` keeps runs apart: the same sender + file number is the same interchange (a duplicate).
 */
export function burstFile(file: number, sets: number, options: { sender?: string; lines?: number } = {}): BurstFile {
  const sender = options.sender ?? 'BURSTBUYER';
  const lines = options.lines ?? 3;
  const text = serializeInterchange(
    {
      header: { senderQualifier: 'ZZ', senderId: sender, receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY', date: '261101', time: '1200', version: '00401', controlNumber: file, usage: 'P' },
      groups: [
        {
          functionalId: 'PO',
          senderId: sender,
          receiverId: 'OURCOMPANY',
          date: '20261101',
          time: '1200',
          controlNumber: String(file),
          version: '004010',
          transactions: Array.from({ length: sets }, (_, i) => ({ id: '850', controlNumber: String(i + 1).padStart(4, '0'), body: purchaseOrder(file, i + 1, lines) })),
        },
      ],
    },
    { delimiters: D, lineBreak: '\n' },
  );
  return { name: `po-${sender.toLowerCase()}-${String(file).padStart(6, '0')}.edi`, bytes: Buffer.from(text, 'latin1'), sets };
}

/** `count` files with `sets` sets each, numbered from `first`. */
export function burst(count: number, sets: number, options: { sender?: string; lines?: number; first?: number } = {}): BurstFile[] {
  const first = options.first ?? 1;
  return Array.from({ length: count }, (_, i) => burstFile(first + i, sets, options));
}

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
  /** The PO number (BEG03) of each set: the business key of the order, whatever its envelope. */
  poNumbers: string[];
}

const poNumber = (file: number, set: number) => `PO${String(file).padStart(6, '0')}-${String(set).padStart(3, '0')}`;

function purchaseOrder(file: number, set: number, lines: number, stores = 900): SegmentData[] {
  const po = poNumber(file, set);
  const store = file % stores;
  const body: SegmentData[] = [
    ['BEG', '00', 'SA', po, '', '20261101'],
    ['REF', 'DP', String(100 + (file % 50))],
    ['DTM', '002', '20261115'],
    ['N1', 'ST', `STORE ${store}`, '92', `S${store}`],
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
 * File number `file` (1-based, unique per run and sender) holding `sets` 850s of `lines` lines each,
 * shipped to store `file % stores` (N1*ST, id 92 S<n>; default 900 stores).
 * `sender` keeps runs apart: the same sender + file number is the same interchange (a duplicate).
 * `control` re-envelopes the same orders (ISA13, GS06 and ST02 from it; default `file`): a partner's resend.
 */
export function burstFile(file: number, sets: number, options: { sender?: string; lines?: number; control?: number; stores?: number } = {}): BurstFile {
  const sender = options.sender ?? 'BURSTBUYER';
  const lines = options.lines ?? 3;
  const control = options.control ?? file;
  const st = (i: number) => String(control === file ? i + 1 : (control * 10 + i + 1) % 10_000).padStart(4, '0');
  const text = serializeInterchange(
    {
      header: { senderQualifier: 'ZZ', senderId: sender, receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY', date: '261101', time: '1200', version: '00401', controlNumber: control, usage: 'P' },
      groups: [
        {
          functionalId: 'PO',
          senderId: sender,
          receiverId: 'OURCOMPANY',
          date: '20261101',
          time: '1200',
          controlNumber: String(control),
          version: '004010',
          transactions: Array.from({ length: sets }, (_, i) => ({ id: '850', controlNumber: st(i), body: purchaseOrder(file, i + 1, lines, options.stores) })),
        },
      ],
    },
    { delimiters: D, lineBreak: '\n' },
  );
  const name = `po-${sender.toLowerCase()}-${String(file).padStart(6, '0')}${control === file ? '' : `-${control}`}.edi`;
  return { name, bytes: Buffer.from(text, 'latin1'), sets, poNumbers: Array.from({ length: sets }, (_, i) => poNumber(file, i + 1)) };
}

/** `count` files with `sets` sets each, numbered from `first`. */
export function burst(count: number, sets: number, options: { sender?: string; lines?: number; first?: number } = {}): BurstFile[] {
  const first = options.first ?? 1;
  return Array.from({ length: count }, (_, i) => burstFile(first + i, sets, options));
}

/** Bytes per interchange of `largeFile` (one 850 of 16 lines): the issue's 60 MB held 46,041 of them. */
export const LARGE_FILE_INTERCHANGE_BYTES = burstFile(1, 1, { lines: 16 }).bytes.length;

/**
 * One file of `count` interchanges of one 850 each (16 lines: about 1.3 KB, as in the issue's 60 MB
 * file of 46,041), written in chunks to `write` so that the writer never holds the whole file.
 */
export async function writeLargeFile(count: number, write: (chunk: Buffer) => Promise<void>, options: { sender?: string; first?: number } = {}): Promise<number> {
  const first = options.first ?? 1;
  let bytes = 0;
  for (let i = 0; i < count; i += 500) {
    const chunk = Buffer.concat(burst(Math.min(500, count - i), 1, { sender: options.sender ?? 'BIGBUYER', lines: 16, first: first + i }).map((f) => f.bytes));
    bytes += chunk.length;
    await write(chunk);
  }
  return bytes;
}

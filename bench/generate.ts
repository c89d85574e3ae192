// Generates benchmark inputs: an interchange of 850s (about 20 PO1 lines each) and a
// large 856, written through our own writer so they are valid by construction.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { serializeSegment, serializeIsa, type SegmentData } from '../src/x12/writer.js';
import type { Delimiters } from '../src/x12/model.js';

const D: Delimiters = { element: '*', component: '>', repetition: null, segment: '~' };
const NL = '\n';

function po850(n: number, lines: number): SegmentData[] {
  const body: SegmentData[] = [
    ['BEG', '00', 'SA', `PO${String(n).padStart(8, '0')}`, '', '20261101'],
    ['CUR', 'BY', 'USD'],
    ['REF', 'DP', String(100 + (n % 50))],
    ['REF', 'IA', '88812'],
    ['PER', 'BD', 'JANE BUYER', 'TE', '5550100', 'EM', 'jane@example.com'],
    ['FOB', 'PP'],
    ['SAC', 'A', 'C310', '', '', '2500', '', '', '', '', '', '', '02', '', '', 'PROMO ALLOWANCE'],
    ['ITD', '01', '3', '2', '', '10', '', '30'],
    ['DTM', '002', '20261115'],
    ['DTM', '010', '20261110'],
    ['TD5', '', '2', 'UPSN', 'M', 'UPS GROUND'],
    ['N1', 'ST', `STORE ${n % 900}`, 'UL', '0614141000012'],
    ['N3', '100 MAIN ST'],
    ['N4', 'SPRINGFIELD', 'IL', '62701', 'US'],
    ['N1', 'BT', 'ACME HQ', '92', 'HQ01'],
  ];
  let qty = 0;
  for (let l = 1; l <= lines; l++) {
    const q = 1 + ((n + l) % 48);
    qty += q;
    body.push(['PO1', String(l), String(q), 'EA', (1.25 + l).toFixed(2), 'PE', 'UP', String(12345678900 + l).padStart(12, '0'), 'VN', `SKU-${l}`, 'BP', `B${n % 1000}-${l}`]);
    body.push(['PID', 'F', '08', '', '', `ITEM NUMBER ${l} DESCRIPTION`]);
    body.push(['PO4', '12', '1', 'EA']);
    body.push(['SAC', 'C', 'D240', '', '', '150']);
  }
  body.push(['CTT', String(lines), String(qty)]);
  return body;
}

async function writeInterchange(path: string, targetBytes: number, makeSet: (n: number) => SegmentData[], gs01: string, setId: string, maxSets = Infinity): Promise<{ bytes: number; sets: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  const put = async (s: string) => {
    bytes += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  await put(serializeIsa({ senderQualifier: 'ZZ', senderId: 'BENCHBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY', date: '261101', time: '1200', version: '00401', controlNumber: 1, usage: 'P' }, D) + NL);
  let n = 0;
  let groups = 0;
  const more = () => n < maxSets && (n === 0 || bytes < targetBytes);
  while (more()) {
    groups++;
    await put(serializeSegment(['GS', gs01, 'BENCHBUYER', 'OURCOMPANY', '20261101', '1200', String(groups), 'X', '004010'], D) + NL);
    let inGroup = 0;
    while (inGroup < 500 && more()) {
      n++;
      inGroup++;
      const control = String(n).padStart(4, '0');
      const body = makeSet(n);
      let s = serializeSegment(['ST', setId, control], D) + NL;
      for (const seg of body) s += serializeSegment(seg, D) + NL;
      s += serializeSegment(['SE', String(body.length + 2), control], D) + NL;
      await put(s);
    }
    await put(serializeSegment(['GE', String(inGroup), String(groups)], D) + NL);
  }
  await put(serializeSegment(['IEA', String(groups), '000000001'], D) + NL);
  out.end();
  await once(out, 'finish');
  return { bytes, sets: n };
}

export function write850File(path: string, targetBytes: number) {
  return writeInterchange(path, targetBytes, (n) => po850(n, 18 + (n % 5)), 'PO', '850');
}

/** One 856 with `orders` orders of `cartons` cartons each (S/O/P/I), as one big set. */
export async function write856File(path: string, orders: number, cartons: number): Promise<{ bytes: number; sets: number }> {
  const body: SegmentData[] = [['BSN', '00', 'SHIP0001', '20261101', '1200', '0001'], ['DTM', '011', '20261101']];
  let hl = 0;
  body.push(['HL', String(++hl), '', 'S', '1'], ['TD1', 'CTN25', String(orders * cartons)], ['TD5', '', '2', 'UPSN'], ['REF', 'BM', 'BOL123'], ['N1', 'ST', 'DC 1', 'UL', '0614141000012']);
  const s = hl;
  for (let o = 1; o <= orders; o++) {
    const oh = ++hl;
    body.push(['HL', String(oh), String(s), 'O', '1'], ['PRF', `PO${String(o).padStart(8, '0')}`]);
    for (let c = 1; c <= cartons; c++) {
      const ph = ++hl;
      body.push(['HL', String(ph), String(oh), 'P', '1'], ['MAN', 'GM', sscc(o * 1000 + c)]);
      body.push(['HL', String(++hl), String(ph), 'I', '0'], ['LIN', String(c), 'UP', String(12345678900 + c).padStart(12, '0')], ['SN1', String(c), '6', 'EA']);
    }
  }
  body.push(['CTT', String(hl)]);
  return writeInterchange(path, 0, () => body, 'SH', '856', 1);
}

function sscc(serial: number): string {
  const base = '0' + '0614141' + String(serial).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(base[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return base + String((10 - (sum % 10)) % 10);
}

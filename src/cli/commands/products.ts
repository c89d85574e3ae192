// edi products map|unmap|list: the gateway's product code mapping (a partner's own product code ->
// our internal reference), which the Odoo postings try first. A rejected document that says
// "no mapping: add one with edi products map ..." is fixed with this command, then replayed.
import { listProductMappings, mapProduct, unmapProduct, type Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { formatTable } from '../table.js';
import type { Output } from './inspect.js';

const PARTNER = /^[a-z0-9_.-]+$/i;

export async function productsMapCommand(db: Database, partner: string, theirCode: string, defaultCode: string, opts: { note?: string }, io: Output): Promise<number> {
  if (!PARTNER.test(partner) || !theirCode.trim() || !defaultCode.trim()) {
    io.err('error: usage: edi products map <partner> <their code> <internal reference>');
    return EXIT.usage;
  }
  const m = await mapProduct(db, { partner, theirCode: theirCode.trim(), defaultCode: defaultCode.trim(), note: opts.note ?? null });
  io.out(`${m.partner}: '${m.theirCode}' -> internal reference '${m.defaultCode}'`);
  return EXIT.valid;
}

export async function productsUnmapCommand(db: Database, partner: string, theirCode: string, io: Output): Promise<number> {
  const removed = await unmapProduct(db, partner, theirCode.trim());
  if (!removed) {
    io.err(`error: ${partner} has no mapping for '${theirCode}'`);
    return EXIT.notFound;
  }
  io.out(`${partner}: '${removed.theirCode}' no longer mapped (was '${removed.defaultCode}')`);
  return EXIT.valid;
}

export async function productsListCommand(db: Database, opts: { partner?: string; json?: boolean }, io: Output): Promise<number> {
  const rows = await listProductMappings(db, opts.partner ? { partner: opts.partner } : {});
  if (opts.json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.valid;
  }
  if (rows.length === 0) {
    io.out('no product mappings');
    return EXIT.valid;
  }
  for (const line of formatTable(['PARTNER', 'THEIR CODE', 'INTERNAL REFERENCE', 'NOTE'], rows.map((r) => [r.partner, r.theirCode, r.defaultCode, r.note ?? '']))) io.out(line);
  return EXIT.valid;
}

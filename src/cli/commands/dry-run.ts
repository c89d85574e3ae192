// edi replay ID --dry-run: what a replay of the document would do in Odoo (ODOO_URL & co.), without
// doing it: the records it would create or write, the methods it would call, or the error it would
// stop at (docs/operations.md#dry-run). Reads only; nothing is recorded.
import { GatewayError } from '../../errors/failure.js';
import { dryRunDocument } from '../../jobs/dry-run.js';
import { silentLogger } from '../../logging/logger.js';
import { odooRehearsalFromEnv } from '../../odoo/from-env.js';
import type { Env } from '../../partners/secrets.js';
import type { Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';
import { validPartners } from './partner-files.js';

export async function dryRunCommand(db: Database, idText: string, opts: { partners?: string; dataDir?: string; json?: boolean }, io: Output, env: Env = process.env): Promise<number> {
  if (!/^\d+$/.test(idText.trim()) || Number(idText) <= 0) {
    io.err(`error: ${idText} is not a document id`);
    return EXIT.usage;
  }
  const partners = await validPartners(opts, env, io);
  if (typeof partners === 'number') return partners;
  let odoo: ReturnType<typeof odooRehearsalFromEnv>;
  try {
    odoo = odooRehearsalFromEnv(env as NodeJS.ProcessEnv, { db, partners: partners.directory, log: silentLogger, partnersDir: partners.dir });
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.failure;
  }
  const report = await dryRunDocument(db, Number(idText), odoo?.rehearse);
  if (!report) {
    io.err(`error: no document ${idText}`);
    return EXIT.notFound;
  }
  if (opts.json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(`document ${report.documentId} (${report.state}), dry run: nothing written`);
    for (const line of report.lines) io.out(`  ${line}`);
  }
  return EXIT.valid;
}

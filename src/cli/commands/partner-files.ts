// The partner files a command needs all valid (outbound preview/build/regenerate, replay --dry-run,
// odoo hooks): loaded once, every problem printed, or the exit code to stop with.
import { partnerDirectory } from '../../partners/directory.js';
import { loadPartners } from '../../partners/load.js';
import type { Env } from '../../partners/secrets.js';
import type { PartnerDirectory } from '../../partners/types.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';
import { partnersDir } from './partners.js';

export async function validPartners(opts: { partners?: string; dataDir?: string }, env: Env, io: Output): Promise<{ dir: string; directory: PartnerDirectory } | number> {
  const dir = partnersDir(opts, env);
  const loaded = await loadPartners(dir, env, { dataDir: opts.dataDir ?? 'data' });
  if (loaded.errors.length) {
    for (const e of loaded.errors) io.err(e.message);
    io.err(`error: ${loaded.errors.length} problem(s) in ${dir}: fix them first (edi partners check lists them)`);
    return EXIT.failure;
  }
  return { dir, directory: partnerDirectory({ partners: loaded.partners, gateway: loaded.gateway }) };
}

// edi odoo hooks install|check --url <public base URL>: the Odoo automation rules that post the
// gateway's webhooks (src/odoo/hooks.ts), in the Odoo of ODOO_URL & co., for the documents the
// partner files send. The token comes from ODOO_WEBHOOK_TOKEN and is never printed.
import { isGatewayError } from '../../errors/failure.js';
import { createOdooClient } from '../../odoo/client/client.js';
import { odooOptionsFromEnv } from '../../odoo/config.js';
import { checkHooks, HOOK_PATH, hookUrl, installHooks, type HookReport } from '../../odoo/hooks.js';
import { EXIT } from '../exit-codes.js';
import { formatTable } from '../table.js';
import type { Output } from './inspect.js';
import { validPartners } from './partner-files.js';

export interface OdooHooksOptions {
  /** The gateway's public base URL, as Odoo reaches it (https://edi.example.com). */
  url?: string;
  partners?: string;
  dataDir?: string;
  json?: boolean;
}

export async function odooHooksCommand(action: 'install' | 'check', opts: OdooHooksOptions, io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const base = publicBaseUrl(opts.url);
  if ('error' in base) {
    io.err(`error: ${base.error}`);
    return EXIT.usage;
  }
  const token = env['ODOO_WEBHOOK_TOKEN']?.trim();
  if (!token) {
    io.err('error: ODOO_WEBHOOK_TOKEN is not set: set it to the secret the gateway accepts in /hooks/odoo/<token> (the same value as the running gateway\'s), then run this again');
    return EXIT.usage;
  }
  let options;
  try {
    options = odooOptionsFromEnv(env);
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  if (!options) {
    io.err('error: ODOO_URL is not set: set ODOO_URL, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY of the Odoo to install the rules in');
    return EXIT.usage;
  }

  const loaded = await validPartners(opts, env, io);
  if (typeof loaded === 'number') return loaded;

  const client = createOdooClient(options);
  let report: HookReport;
  try {
    const hook = { url: hookUrl(base.url, token), partners: [...loaded.directory.all()] };
    report = action === 'install' ? await installHooks(client, hook) : await checkHooks(client, hook);
  } catch (error) {
    // Gateway errors name what is wrong without the key or the token; anything else is shown by its message only.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`error: ${isGatewayError(error) ? `[${error.code}] ` : ''}${message.split(token).join('***')}`);
    return EXIT.failure;
  }

  print(report, action, opts, io);
  if (action === 'check') return report.rules.every((r) => r.status === 'present') ? EXIT.valid : EXIT.invalid;
  return EXIT.valid;
}

function publicBaseUrl(raw: string | undefined): { url: string } | { error: string } {
  const usage = 'give the public base URL Odoo reaches the gateway at, e.g. --url https://edi.example.com';
  if (!raw?.trim()) return { error: `--url is missing: ${usage}` };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `--url is not a URL: ${usage}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `--url must be http or https: ${usage}` };
  if (url.username || url.password || url.search || url.hash) return { error: `--url must carry no credentials, query or fragment: ${usage}` };
  if (url.pathname.includes(HOOK_PATH)) return { error: `--url is the base URL only, without ${HOOK_PATH}<token> (the token comes from ODOO_WEBHOOK_TOKEN)` };
  return { url: url.href.replace(/\/+$/, '') };
}

function print(report: HookReport, action: 'install' | 'check', opts: OdooHooksOptions, io: Output): void {
  if (opts.json) {
    io.out(JSON.stringify(report, null, 2));
    return;
  }
  io.out(`webhook URL: ${report.url} (token from ODOO_WEBHOOK_TOKEN)`);
  if (report.rules.length === 0) {
    io.out('no partner file sends an outbound document (documents.outbound with an odoo: contact): no automation rule needed');
  } else {
    const rows = report.rules.map((r) => [r.name, r.kinds.join(', '), r.status, r.differences.join('; ')]);
    for (const line of formatTable(['RULE', 'DOCUMENTS', 'STATUS', 'DETAIL'], rows)) io.out(line);
  }
  for (const name of report.unused) io.out(`${name}: no partner's document comes from this model now (left as it is; archive it in Odoo if it is no longer wanted)`);
  if (action === 'check' && report.rules.some((r) => r.status !== 'present')) io.out('run edi odoo hooks install --url ... to create or fix them');
}

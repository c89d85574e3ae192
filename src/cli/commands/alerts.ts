// edi alerts test: a test message to every configured channel (webhook, e-mail); exit 0 when each
// took it. edi alerts check: what the rules find now and what would be sent, nothing sent or
// written. Settings: partners/_gateway.yaml `alerts:` and the environment (docs/alerts.md).
import { alertSettings, describeChannels, evaluateAlerts, renderDigest, sendToChannels, testMessage, type AlertSettings } from '../../alerts/index.js';
import { isGatewayError } from '../../errors/failure.js';
import { silentLogger } from '../../logging/logger.js';
import { loadPartners, type LoadResult } from '../../partners/load.js';
import type { Env } from '../../partners/secrets.js';
import { partnerDirectory } from '../../partners/directory.js';
import type { Conn } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';
import { partnersDir } from './partners.js';

export interface AlertsOptions {
  partners?: string;
  dataDir?: string;
  json?: boolean;
}

async function settingsOf(opts: AlertsOptions, env: Env, io: Output): Promise<{ loaded: LoadResult; settings: AlertSettings } | number> {
  const loaded = await loadPartners(partnersDir(opts, env), env, { dataDir: opts.dataDir ?? 'data' });
  if (loaded.fatal.length) {
    for (const e of loaded.fatal) io.err(e.message);
    return EXIT.invalid;
  }
  try {
    return { loaded, settings: alertSettings(loaded.gateway, env) };
  } catch (error) {
    io.err(isGatewayError(error) ? `${error.code}: ${error.message}` : String(error));
    return EXIT.invalid;
  }
}

export async function alertsTestCommand(opts: AlertsOptions, io: Output, env: Env = process.env, now = new Date()): Promise<number> {
  const s = await settingsOf(opts, env, io);
  if (typeof s === 'number') return s;
  const channels = describeChannels(s.settings);
  if (!channels.length) {
    io.err('no alert channel configured: set ALERT_WEBHOOK_URL, or SMTP_URL (or SMTP_HOST) with ALERT_EMAIL_TO, or alerts: in partners/_gateway.yaml (docs/alerts.md)');
    return EXIT.invalid;
  }
  const results = await sendToChannels(s.settings, testMessage(s.settings.consoleUrl, now));
  for (const [i, r] of results.entries()) {
    if (r.ok) io.out(`sent: ${channels[i]}`);
    else io.err(`not sent: ${channels[i]}: ${r.error ?? ''}`);
  }
  return results.every((r) => r.ok) ? EXIT.valid : EXIT.failure;
}

export async function alertsCheckCommand(db: Conn, opts: AlertsOptions, io: Output, env: Env = process.env, now = new Date()): Promise<number> {
  const s = await settingsOf(opts, env, io);
  if (typeof s === 'number') return s;
  const directory = partnerDirectory({ partners: s.loaded.partners, gateway: s.loaded.gateway, broken: s.loaded.broken });
  const outcomes = await evaluateAlerts({ db, partners: directory, settings: s.settings, log: silentLogger }, now, { dryRun: true });
  if (opts.json) {
    io.out(JSON.stringify({ channels: describeChannels(s.settings), enabled: s.settings.enabled, rules: outcomes.map((o) => ({ rule: o.rule, status: o.status, ...(o.nextAt ? { nextAt: o.nextAt } : {}), ...(o.digest ? { message: renderDigest(o.digest, s.settings.consoleUrl) } : {}) })) }, null, 2));
    return EXIT.valid;
  }
  const channels = describeChannels(s.settings);
  io.out(channels.length ? `channels: ${channels.join('; ')}${s.settings.enabled ? '' : ' (alerts: enabled: false)'}` : 'channels: none configured: nothing would be sent (docs/alerts.md)');
  for (const o of outcomes) {
    if (!o.digest) {
      io.out(`${o.rule}: nothing new`);
      continue;
    }
    io.out(o.status === 'due' ? `${o.rule}: would send now:` : `${o.rule}: ${o.digest.items.length} new, sent at the period's end (${o.nextAt?.toISOString()}):`);
    for (const line of renderDigest(o.digest, s.settings.consoleUrl).text.split('\n')) io.out(`  ${line}`);
  }
  return EXIT.valid;
}

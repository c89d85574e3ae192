// Evaluates the rules and sends digests (docs/alerts.md#digests):
// - per rule, what is open now; an item is new when no digest listed it, or listed it longer ago
//   than the repeat period (still open); an item no longer open is forgotten;
// - at most one message per rule per period, claimed in the store so that two gateway processes
//   never both send it; the claim is undone when no channel took the message (tried again later);
// - every channel gets the same digest; one failing does not hold the others.
import { messageOf } from '../errors/failure.js';
import type { Logger } from '../logging/logger.js';
import { ALERT_RULE_IDS, type AlertRuleId } from '../partners/alerts-schema.js';
import type { PartnerDirectory } from '../partners/types.js';
import { alertLogOf, claimDigest, forgetClosedAlertItems, lastDigestAt, recordAlertItems, releaseDigest, type Conn } from '../store/index.js';
import { ruleSettings, type AlertSettings } from './config.js';
import { renderDigest, type Digest, type Message } from './message.js';
import { RULES } from './rules.js';
import { sendMail } from './smtp.js';
import { sendWebhook, hostOf } from './webhook.js';

export interface AlertDeps {
  db: Conn;
  partners: PartnerDirectory;
  settings: AlertSettings;
  log: Logger;
  /** Channels to send through (tests); default: the configured webhook and e-mail. */
  send?: (message: Message) => Promise<ChannelResult[]>;
}

export interface ChannelResult {
  channel: 'webhook' | 'email';
  ok: boolean;
  error?: string;
}

export interface RuleOutcome {
  rule: AlertRuleId;
  /** sent: a digest went out; due: it would go out now (check); waiting: new items wait for the period's end; nothing: nothing new. */
  status: 'sent' | 'due' | 'waiting' | 'failed' | 'nothing' | 'claimed-elsewhere';
  digest?: Digest;
  channels?: ChannelResult[];
  nextAt?: Date;
}

/** One evaluation of every rule; `dryRun` (edi alerts check) reads only: no message, no state written. */
export async function evaluateAlerts(deps: AlertDeps, now = new Date(), options: { dryRun?: boolean } = {}): Promise<RuleOutcome[]> {
  const outcomes: RuleOutcome[] = [];
  for (const rule of ALERT_RULE_IDS) {
    const base = ruleSettings(deps.settings, rule);
    const settingsOf = (partner: string | null) => ruleSettings(deps.settings, rule, partner ? deps.partners.get(partner) : undefined);
    if (!base.enabled && !deps.partners.all().some((p) => settingsOf(p.code).enabled)) continue;
    const items = await RULES[rule].collect({ db: deps.db, partners: deps.partners, now, settings: settingsOf });
    const logged = await alertLogOf(deps.db, rule);
    const fresh = items.filter((i) => {
      const last = logged.get(i.key);
      return !last || now.getTime() - last.getTime() >= settingsOf(i.partner).repeatHours * 3_600_000;
    });
    if (!options.dryRun) await forgetClosedAlertItems(deps.db, { rule, open: items.map((i) => i.key) });
    if (!fresh.length) {
      outcomes.push({ rule, status: 'nothing' });
      continue;
    }
    const digest: Digest = { rule, items: fresh, stillOpen: items.length - fresh.length };
    const periodMs = base.periodMinutes * 60_000;
    const last = await lastDigestAt(deps.db, rule);
    if (last && now.getTime() - last.getTime() < periodMs) {
      outcomes.push({ rule, status: 'waiting', digest, nextAt: new Date(last.getTime() + periodMs) });
      continue;
    }
    if (options.dryRun) {
      outcomes.push({ rule, status: 'due', digest });
      continue;
    }
    const claim = await claimDigest(deps.db, { rule, now, notAfter: new Date(now.getTime() - periodMs), items: fresh.length });
    if (!claim) {
      outcomes.push({ rule, status: 'claimed-elsewhere', digest });
      continue;
    }
    const message = renderDigest(digest, deps.settings.consoleUrl);
    const channels = await (deps.send ?? ((m) => sendToChannels(deps.settings, m)))(message);
    for (const c of channels.filter((c) => !c.ok)) deps.log.warn({ code: 'ALERT_SEND_FAILED', rule, channel: c.channel }, c.error ?? 'not sent');
    if (!channels.some((c) => c.ok)) {
      await releaseDigest(deps.db, { rule, claimedAt: now, previous: claim.previous });
      outcomes.push({ rule, status: 'failed', digest, channels });
      continue;
    }
    await recordAlertItems(deps.db, { rule, items: fresh.map((i) => ({ item: i.key, partner: i.partner })), at: now });
    deps.log.info({ rule, items: fresh.length, channels: channels.filter((c) => c.ok).map((c) => c.channel) }, `alert sent: ${message.subject}`);
    outcomes.push({ rule, status: 'sent', digest, channels });
  }
  return outcomes;
}

/** The message through every configured channel, side by side; errors never hold a secret (see webhook.ts, smtp.ts). */
export async function sendToChannels(settings: AlertSettings, message: Message): Promise<ChannelResult[]> {
  const sends: Promise<ChannelResult>[] = [];
  const attempt = (channel: ChannelResult['channel'], p: Promise<void>) => p.then((): ChannelResult => ({ channel, ok: true }), (error: unknown): ChannelResult => ({ channel, ok: false, error: messageOf(error) }));
  if (settings.webhook) sends.push(attempt('webhook', sendWebhook(settings.webhook, message)));
  if (settings.email) sends.push(attempt('email', sendMail(settings.email, message)));
  return Promise.all(sends);
}

/** The channels as a person may see them: the webhook's host, the SMTP server and recipients; no token, no password. */
export function describeChannels(settings: AlertSettings): string[] {
  return [
    ...(settings.webhook ? [`webhook to ${hostOf(settings.webhook.url())}`] : []),
    ...(settings.email ? [`e-mail through ${settings.email.host}:${settings.email.port} (${settings.email.security}) to ${settings.email.to.join(', ')}`] : []),
  ];
}

export interface AlertLoop {
  /** One evaluation now (tests, --once); resolves when done. */
  tick(now?: Date): Promise<RuleOutcome[]>;
  stop(): Promise<void>;
}

/** Evaluates every `intervalSeconds` (the first one after one interval); one evaluation at a time. */
export function startAlertLoop(deps: Omit<AlertDeps, 'settings'> & { settings: () => AlertSettings | undefined }): AlertLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RuleOutcome[]> | undefined;
  let stopped = false;
  const tick = (now = new Date()) => {
    const settings = deps.settings();
    if (!settings?.enabled) return Promise.resolve([]);
    running ??= evaluateAlerts({ ...deps, settings }, now).finally(() => (running = undefined));
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    const seconds = deps.settings()?.intervalSeconds ?? 60;
    timer = setTimeout(() => {
      tick().catch((error: unknown) => deps.log.warn({ error: messageOf(error) }, 'alert evaluation failed')).finally(schedule);
    }, seconds * 1000);
    timer.unref();
  };
  schedule();
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

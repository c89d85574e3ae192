// The alert settings in force: partners/_gateway.yaml `alerts:` (validated by its zod schema,
// src/partners/alerts-schema.ts) with the environment over it (docs/alerts.md#configuration).
// Secrets (the webhook URL embeds a token; the SMTP password) are kept as functions that read them
// when a message is sent: a settings object logged or printed shows none of them.
import { dirname } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../errors/failure.js';
import type { AlertRuleId, AlertRuleSettings, AlertSecretSource } from '../partners/alerts-schema.js';
import { makeSecret, type Env } from '../partners/secrets.js';
import type { GatewaySettings, Partner } from '../partners/types.js';
import { RULES } from './rules.js';

export class AlertConfigError extends GatewayError {
  override name = 'AlertConfigError';
  constructor(message: string) {
    super('ALERT_CONFIG_INVALID', message);
  }
}

export interface EmailChannel {
  host: string;
  port: number;
  /** starttls: upgrade when the server offers it (a password is never sent in clear); tls: TLS from the start (465); none: plain. */
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: () => string;
  from: string;
  to: string[];
  /** Tests: a server with a self-signed certificate. */
  rejectUnauthorized?: boolean;
}

export interface WebhookChannel {
  url: () => string;
}

export interface AlertSettings {
  enabled: boolean;
  /** Absolute links when set (CONSOLE_URL or alerts.consoleUrl); else the console's paths. */
  consoleUrl?: string;
  webhook?: WebhookChannel;
  email?: EmailChannel;
  /** Seconds between evaluations (ALERT_INTERVAL_SECONDS, default 60). */
  intervalSeconds: number;
  /** partners/_gateway.yaml alerts.rules, as written. */
  rules: Readonly<Partial<Record<AlertRuleId, AlertRuleSettings>>>;
}

export interface RuleSettings {
  enabled: boolean;
  threshold: number;
  periodMinutes: number;
  repeatHours: number;
}

const email = z.email();
const where = (gatewayFile: string | undefined) => gatewayFile ?? 'partners/_gateway.yaml';

/** The settings in force; AlertConfigError names the setting that is wrong and what is expected. */
export function alertSettings(gateway: GatewaySettings, env: Env): AlertSettings {
  const file = gateway.alerts ?? {};
  const shown = where(gateway.file);
  const secret = (ref: AlertSecretSource, key: string) => {
    const s = makeSecret(ref, { where: `${shown}: alerts.${key}`, env, baseDir: gateway.file ? dirname(gateway.file) : process.cwd() });
    return () => s.reveal();
  };
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

  const consoleUrl = value('CONSOLE_URL') ?? file.consoleUrl;
  if (consoleUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(consoleUrl)) throw new AlertConfigError(`CONSOLE_URL: expected the console's address such as https://edi.example.com, found "${consoleUrl}"`);

  let webhook: WebhookChannel | undefined;
  const hookUrl = value('ALERT_WEBHOOK_URL');
  if (hookUrl !== undefined) {
    if (!/^https?:\/\//.test(hookUrl)) throw new AlertConfigError('ALERT_WEBHOOK_URL: expected an http:// or https:// address (its value is not shown: it holds a token)');
    webhook = { url: () => hookUrl };
  } else if (file.webhook) webhook = { url: secret(file.webhook.url, 'webhook.url') };

  const mail = emailChannel(file.email ?? {}, env, value, secret, shown);
  const interval = value('ALERT_INTERVAL_SECONDS') ?? '60';
  if (!/^\d+$/.test(interval) || Number(interval) < 1 || Number(interval) > 86_400) throw new AlertConfigError(`ALERT_INTERVAL_SECONDS: expected a whole number of seconds from 1 to 86400, found "${interval}"`);
  return {
    enabled: file.enabled !== false && value('ALERTS_ENABLED') !== 'false' && Boolean(webhook || mail),
    ...(consoleUrl ? { consoleUrl: consoleUrl.replace(/\/+$/, '') } : {}),
    ...(webhook ? { webhook } : {}),
    ...(mail ? { email: mail } : {}),
    intervalSeconds: Number(interval),
    rules: file.rules ?? {},
  };
}

type FileEmail = NonNullable<NonNullable<GatewaySettings['alerts']>['email']>;

function emailChannel(file: FileEmail, env: Env, value: (name: string) => string | undefined, secret: (ref: AlertSecretSource, key: string) => () => string, shown: string): EmailChannel | undefined {
  let host = value('SMTP_HOST') ?? file.host;
  let port = value('SMTP_PORT') !== undefined ? Number(value('SMTP_PORT')) : file.port;
  let security = (value('SMTP_SECURITY') as EmailChannel['security'] | undefined) ?? file.security;
  let username = value('SMTP_USER') ?? file.username;
  let password: (() => string) | undefined = value('SMTP_PASSWORD') !== undefined ? () => env['SMTP_PASSWORD'] ?? '' : file.password ? secret(file.password, 'email.password') : undefined;
  const smtpUrl = value('SMTP_URL');
  if (smtpUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(smtpUrl);
    } catch {
      throw new AlertConfigError('SMTP_URL: expected smtp://user:password@host:587 or smtps://host:465 (its value is not shown: it may hold a password)');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new AlertConfigError(`SMTP_URL: expected the scheme smtp:// or smtps://, found ${url.protocol}//`);
    host = url.hostname;
    security = url.protocol === 'smtps:' ? 'tls' : security ?? 'starttls';
    port = url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587;
    if (url.username) username = decodeURIComponent(url.username);
    if (url.password) {
      const pass = decodeURIComponent(url.password);
      password = () => pass;
    }
  }
  const toText = value('ALERT_EMAIL_TO');
  const to = toText !== undefined ? toText.split(',').map((t) => t.trim()).filter(Boolean) : file.to;
  const from = value('ALERT_EMAIL_FROM') ?? file.from;
  if (!host && !to) return undefined;
  const missing = [!host && 'the SMTP server (SMTP_HOST, SMTP_URL or alerts.email.host)', !to?.length && 'whom to send to (ALERT_EMAIL_TO or alerts.email.to)', !from && 'the sender (ALERT_EMAIL_FROM or alerts.email.from)'].filter(Boolean);
  if (missing.length) throw new AlertConfigError(`${shown}: alerts.email: expected ${missing.join(', ')}`);
  for (const address of [...to!, from!]) if (!email.safeParse(address).success) throw new AlertConfigError(`ALERT_EMAIL_TO / ALERT_EMAIL_FROM: expected e-mail addresses such as ops@example.com, found "${address}"`);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) throw new AlertConfigError('SMTP_PORT: expected a port number from 1 to 65535');
  if (security !== undefined && !['starttls', 'tls', 'none'].includes(security)) throw new AlertConfigError(`SMTP_SECURITY: expected starttls, tls or none, found "${security}"`);
  const sec = security ?? 'starttls';
  return {
    host: host!, port: port ?? (sec === 'tls' ? 465 : 587), security: sec, from: from!, to: to!,
    ...(username ? { username } : {}), ...(password ? { password } : {}),
  };
}

/** One rule's settings for a partner: the rule's defaults < partners/_gateway.yaml < the partner file. */
export function ruleSettings(settings: Pick<AlertSettings, 'rules'>, rule: AlertRuleId, partner?: Partner): RuleSettings {
  const d = RULES[rule];
  const defined = (o: AlertRuleSettings | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  return { enabled: true, threshold: d.threshold, periodMinutes: d.periodMinutes, repeatHours: d.repeatHours, ...defined(settings.rules[rule]), ...defined(partner?.alerts?.rules?.[rule]) } as RuleSettings;
}

/**
 * Days before its expiry from which a certificate of `partner` counts as expiring soon: the expiring
 * rule's threshold for it (partner file < _gateway.yaml < default 30), undefined when the rule is off.
 * `edi partners check` and the console mark SOON from the day the alert starts to name it.
 */
export function expiringWarnDays(gatewayRules: AlertSettings['rules'] | undefined, partner: Partner): number | undefined {
  const expiring = ruleSettings({ rules: gatewayRules ?? {} }, 'expiring', partner);
  return expiring.enabled ? expiring.threshold : undefined;
}

// The `alerts:` sections of partners/_gateway.yaml (channels, rules) and of a partner file
// (per-partner rule overrides, expiry dates of certificates it does not otherwise name), and the
// `expires:` date a secret may carry. What the rules mean: docs/alerts.md; src/alerts/rules.ts.
import { z } from 'zod';

/** Every alert rule, by id (their defaults and queries: src/alerts/rules.ts). */
export const ALERT_RULE_IDS = [
  'waiting-for-person',
  'partner-failing',
  'partner-broken',
  'ack-overdue',
  'as2-mdn',
  'order-without-855',
  'shipped-without-856',
  'invoice-mismatch',
  'expiring',
] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

/** A calendar date as YAML gives it (2027-01-31, or quoted): kept as 'YYYY-MM-DD'. */
export const expiryDateSchema = z.union([z.string(), z.date()], { error: 'a date such as 2027-01-31' }).transform((value, ctx) => {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    ctx.addIssue({ code: 'custom', message: 'a date such as 2027-01-31 (year-month-day)' });
    return z.NEVER;
  }
  return text;
});

const number = (expected: string, min: number, max: number) => z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
const strict = <S extends z.ZodRawShape>(shape: S, what: string) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `${what}: only the keys ${Object.keys(shape).join(', ')}` : `${what} (a mapping with the keys ${Object.keys(shape).join(', ')})`) });

/** One rule's settings; the threshold's unit is the rule's (minutes, failures, hours or days: docs/alerts.md#rules). */
export const alertRuleSettingsSchema = strict(
  {
    enabled: z.boolean({ error: 'true or false' }).optional(),
    threshold: number('a number from 0 to 100000 in the rule\'s unit (docs/alerts.md#rules)', 0, 100_000).optional(),
    periodMinutes: number('a number of minutes from 1 to 10080: at most one message per rule per period', 1, 10_080).optional(),
    repeatHours: number('a number of hours from 1 to 8760: an item still open is listed again after this long', 1, 8_760).optional(),
  },
  'the settings of an alert rule',
);
export type AlertRuleSettings = z.output<typeof alertRuleSettingsSchema>;

const ruleMap = z.partialRecord(z.enum(ALERT_RULE_IDS, { error: `one of the rules ${ALERT_RULE_IDS.join(', ')}` }), alertRuleSettingsSchema, {
  error: `a mapping of rules (${ALERT_RULE_IDS.join(', ')}) to their settings`,
});

/** A secret source: { env: NAME } or { file: /path } (the webhook URL embeds a token, so it is one); a literal value is never echoed. */
const SECRET_EXPECTED = '{ env: NAME } or { file: /path/to/file } (never the value itself: it holds a token or a password)';
const secretSource = z.unknown().transform((value, ctx): { env: string } | { file: string } => {
  const v = (value ?? {}) as Record<string, unknown>;
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(v) : [];
  if (keys.length === 1 && keys[0] === 'env' && typeof v.env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.env)) return { env: v.env };
  if (keys.length === 1 && keys[0] === 'file' && typeof v.file === 'string' && v.file.length > 0) return { file: v.file };
  const literal = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  // kind: literal-secret: the message never shows the value found (src/partners/issues.ts).
  ctx.addIssue({ code: 'custom', message: SECRET_EXPECTED, ...(literal ? { params: { kind: 'literal-secret' } } : {}) });
  return z.NEVER;
});
export type AlertSecretSource = z.output<typeof secretSource>;

export const gatewayAlertsSchema = strict(
  {
    enabled: z.boolean({ error: 'true or false' }).optional(),
    consoleUrl: z.url({ error: 'the console\'s address, such as https://edi.example.com' }).optional(),
    webhook: strict({ url: secretSource }, 'the webhook channel').optional(),
    email: strict(
      {
        host: z.string({ error: 'the SMTP server\'s host name' }).min(1).optional(),
        port: number('a port number from 1 to 65535', 1, 65_535).int().optional(),
        security: z.enum(['starttls', 'tls', 'none'], { error: 'starttls (the default: upgrade when offered), tls (port 465) or none' }).optional(),
        username: z.string({ error: 'the SMTP user name' }).min(1).optional(),
        password: secretSource.optional(),
        from: z.email({ error: 'the sender\'s address, such as edi@example.com' }).optional(),
        to: z.array(z.email({ error: 'an e-mail address' }), { error: 'a list of e-mail addresses' }).min(1, { error: 'at least one address' }).optional(),
      },
      'the e-mail channel',
    ).optional(),
    rules: ruleMap.optional(),
  },
  'the alert settings',
);
export type GatewayAlertsFile = z.output<typeof gatewayAlertsSchema>;

export const partnerAlertsSchema = strict(
  {
    rules: ruleMap.optional(),
    // Certificates (AS2, TLS) and keys the file does not otherwise name: what and when it expires.
    expiring: z
      .array(strict({ name: z.string({ error: 'what expires, such as "AS2 signing certificate"' }).min(1), expires: expiryDateSchema }, 'a certificate or key and its expiry date'), {
        error: 'a list of { name, expires } entries',
      })
      .optional(),
  },
  'the partner\'s alert settings',
);
export type PartnerAlertsFile = z.output<typeof partnerAlertsSchema>;
